"""The file deduplicator: known clusters on a hand-made file, the command and its errors."""

import csv
import os

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from abwab.people import dedupe_file
from abwab.people.dedupe_file import cin_code, cin_text, dedupe_rows

HEADER = "id,first_name,last_name,birth_date,cin,phone,commune_code\n"
ROWS = """\
1,محمد,العلوي,1980-05-01,AB123456,0661234567,01.511.01.0
2,Mohammed,El Alaoui,1980-05-01,,,01.511.01.0
3,Mohamed,Alaoui,1992-11-20,,,03.061.01.01
4,Bennani,Karim,1975-03-14,,0612345678,06.141.01.0
5,Karim,Bennani,1975-03-14,,,06.141.01.0
6,Fatima,Idrissi,1988-07-30,BK654321,,04.281.01.01
7,Fatima,Idrissi,,bk 654381,,
8,Youssef,Tazi,,,,
9,خديجة,بنجلون,1990-01-01,,,
10,Mohammed,El Alaoui,,AB123456,,
11,Khadija,Bennani,1981-02-02,,06 12 34 56 78,06.141.01.0
12,,,,,,
13,Mohamed,Alaoui,1980-05-01,CD987654,0700000000,09.001.01.01
"""
# Same person: 1 (Arabic), 2 (Latin, "El" article), 10 (same CIN, no birth date).
# 3: the same common name, another birth date and commune. 13: same name and birth date but
# another CIN, phone and commune. 4/5: first and last name swapped. 6/7: a CIN typo, the rest
# of 7 blank. 11: Karim's household (same phone and last name), another person.
EXPECTED = {
    "1": "1",
    "2": "1",
    "3": "3",
    "4": "4",
    "5": "4",
    "6": "6",
    "7": "6",
    "8": "8",
    "9": "9",
    "10": "1",
    "11": "11",
    "12": "12",
    "13": "13",
}


@pytest.fixture
def people_csv(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def read_clusters(path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["id", "cluster_id"]
    return dict(rows[1:])


def test_known_clusters(people_csv, tmp_path):
    out = tmp_path / "clusters.csv"
    stats = dedupe_file.dedupe_file(people_csv, out)
    assert read_clusters(out) == EXPECTED
    assert stats.rows == 13
    assert stats.clusters == len(set(EXPECTED.values()))


def test_output_keeps_input_order_and_every_row(people_csv, tmp_path):
    out = tmp_path / "clusters.csv"
    dedupe_file.dedupe_file(people_csv, out)
    with open(out, encoding="utf-8") as handle:
        ids = [line.split(",")[0] for line in handle.read().splitlines()[1:]]
    assert ids == [str(i) for i in range(1, 14)]


def test_columns_in_any_order_extra_columns_and_short_rows(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text(
        "Commune_Code,note,cin,id,first_name,last_name,birth_date,phone\n"
        "01.511.01.0,x,AB123456,a,محمد,العلوي,1980-05-01\n"
        ",,AB123456,b,Mohamed,Alaoui\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    dedupe_file.dedupe_file(path, out)
    assert read_clusters(out) == {"a": "a", "b": "a"}


def test_a_higher_threshold_keeps_only_the_surest_links(people_csv):
    with open(people_csv, encoding="utf-8") as handle:
        table, clusters = dedupe_rows(dedupe_file.read_rows(handle), threshold=60)
    assert list(clusters) == list(range(13))


def test_invalid_identifiers_count_as_blank():
    assert cin_code("not a cin") == 0
    assert cin_text(cin_code(" ab-123456 ")) == "AB123456"
    assert cin_text(cin_code("A12")) == "A12"
    phone = dedupe_file.PhoneCleaner()
    assert phone("0661234567") == phone("+212 661-23-45-67") == phone("00212661234567")
    assert phone("12") == 0
    assert phone("0683000000") == 0  # no such Moroccan mobile range
    assert dedupe_file.date_day("1980-02-30") == dedupe_file.date_day("") == 0


def test_command_writes_clusters_and_a_summary(people_csv, tmp_path, capsys):
    out = tmp_path / "clusters.csv"
    with translation.override("en"):
        call_command("dedupe", str(people_csv), "-o", str(out))
    assert read_clusters(out) == EXPECTED
    summary = capsys.readouterr().out
    assert "13 rows, 9 clusters" in summary


def test_command_threshold_option(people_csv, tmp_path):
    out = tmp_path / "clusters.csv"
    call_command("dedupe", str(people_csv), "-o", str(out), "--threshold", "60")
    assert set(read_clusters(out).items()) == {(str(i), str(i)) for i in range(1, 14)}


def test_command_missing_input(tmp_path):
    with translation.override("en"), pytest.raises(CommandError, match="not found"):
        call_command("dedupe", str(tmp_path / "nope.csv"), "-o", str(tmp_path / "out.csv"))


def test_command_names_the_missing_columns(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("id,first_name,last_name,birth_date,commune_code\n1,A,B,,\n", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError) as error:
        call_command("dedupe", str(path), "-o", str(tmp_path / "out.csv"))
    assert "required columns: cin, phone" in str(error.value)


def test_command_empty_file_lacks_every_column(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("", encoding="utf-8")
    with translation.override("en"), pytest.raises(CommandError, match="id, first_name"):
        call_command("dedupe", str(path), "-o", str(tmp_path / "out.csv"))


def test_command_rejects_a_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "people.csv"
    path.write_bytes((HEADER + "1,محمد,العلوي,,,,\n").encode("cp1256"))
    with translation.override("en"), pytest.raises(CommandError, match="not UTF-8.*line 2"):
        call_command("dedupe", str(path), "-o", str(tmp_path / "out.csv"))


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_two_jobs_find_the_same_pairs_in_the_same_order():
    table = dedupe_file.load_table(dedupe_file.read_rows((HEADER + ROWS).splitlines()))
    one = dedupe_file.find_pairs(table, threshold=-50, jobs=1)
    two = dedupe_file.find_pairs(table, threshold=-50, jobs=2)
    assert (one.left, one.right, one.weight, one.compared) == (
        two.left,
        two.right,
        two.weight,
        two.compared,
    )
    assert len(one) > 5
