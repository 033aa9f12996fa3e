"""The file deduplicator's weights come from the file: EM over sampled pairs, for the CIN and
phone levels and for the first and last names' similarity levels (issue 18: not hand-set)."""

import random
from collections import Counter
from itertools import product

from abwab.people.dedupe_file import estimate, load_table

FIRST = [
    ("Hajar", "هاجر"),
    ("Youssef", "يوسف"),
    ("Khadija", "خديجة"),
    ("Karim", "كريم"),
    ("Salma", "سلمى"),
    ("Omar", "عمر"),
    ("Nadia", "نادية"),
    ("Hamid", "حميد"),
    ("Latifa", "لطيفة"),
    ("Said", "سعيد"),
    ("Imane", "إيمان"),
    ("Rachid", "رشيد"),
    ("Zineb", "زينب"),
    ("Anas", "أنس"),
    ("Souad", "سعاد"),
    ("Tarik", "طارق"),
]
LAST = [
    ("Lahlou", "لحلو"),
    ("Tazi", "التازي"),
    ("Bennani", "بناني"),
    ("Idrissi", "الإدريسي"),
    ("Chraibi", "الشرايبي"),
    ("Berrada", "برادة"),
    ("Ouazzani", "الوزاني"),
    ("Kettani", "الكتاني"),
    ("Benjelloun", "بنجلون"),
    ("Sqalli", "الصقلي"),
    ("Fassi", "الفاسي"),
    ("Alami", "العلمي"),
]


def _typo(rng, name):
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1 :]


def people_file(persons=2500, seed=3):
    """Persons born on 60 days in 4 communes (so strangers share a birth date and commune),
    a third with a second record: the other script, sometimes a typo, the same CIN and phone."""
    rng = random.Random(seed)
    rows = []
    for pid in range(persons):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        birth = f"19{rng.randrange(60, 99)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 2)}"
        birth = rng.choice([birth, f"1980-01-{rng.randrange(10, 25)}"])
        cin = f"AB{100000 + pid}"
        phone = f"0661{pid:06d}"
        commune = f"06.141.01.{rng.randrange(4)}"
        rows.append((f"{pid}a", first[0], last[0], birth, cin, phone, commune))
        if pid % 3 == 0:
            f, la = first[1], last[1]
            if rng.random() < 0.2:
                la = _typo(rng, last[0])
            rows.append((f"{pid}b", f, la, birth, cin, phone if pid % 2 else "", commune))
    return load_table(rows)


def test_name_levels_follow_the_similarity_bounds():
    assert [estimate.name_level(s) for s in (1.0, 0.97, 0.93, 0.86, 0.8, 0.75, 0.6, 0.2)] == [
        0,
        0,
        1,
        2,
        3,
        4,
        5,
        6,
    ]


def test_em_recovers_the_parameters_of_a_known_mixture():
    # Three fields of two levels; true pairs agree on each 90 % of the time, strangers 10 %,
    # and a quarter of the pairs are true: EM finds the share and both m and u.
    share, m_agree, u_agree = 0.25, 0.9, 0.1
    patterns = Counter()
    for pattern in product((0, 1), repeat=3):
        pm = pu = 1.0
        for level in pattern:
            pm *= m_agree if level == 0 else 1 - m_agree
            pu *= u_agree if level == 0 else 1 - u_agree
        patterns[pattern] = round(100_000 * (share * pm + (1 - share) * pu))
    found_share, m, u = estimate.em(patterns, iterations=300, levels=(2, 2, 2))
    if m[0][0] < u[0][0]:
        found_share, m, u = 1 - found_share, u, m
    assert abs(found_share - share) < 0.01
    assert all(abs(m[f][0] - m_agree) < 0.01 and abs(u[f][0] - u_agree) < 0.01 for f in range(3))


def test_name_weights_are_estimated_on_the_file():
    table = people_file()
    table.identifier_weights = estimate.estimate_identifier_weights(table)
    found = estimate.estimate_name_weights(table)
    assert found.sample >= estimate.MIN_SAMPLE
    assert 0.05 < found.match_share < 0.95
    assert found != estimate.NameWeights(sample=found.sample, match_share=found.match_share)
    for levels in (found.first, found.last):
        assert len(levels) == estimate.NAME_LEVELS
        assert list(levels[1:]) == sorted(levels[1:], reverse=True)  # less alike, less proof
        assert levels[-1] < -1.0  # another name is evidence of another person
    # Strangers sharing a birth date and commune rarely share a given name: a different one
    # says more against than a different last name (households share theirs).
    assert found.first[-1] <= found.last[-1] + 1.0


def test_a_file_too_small_keeps_the_default_name_weights():
    table = load_table([("1", "Hajar", "Lahlou", "1988-10-21", "AB123456", "", "")])
    assert estimate.estimate_name_weights(table) == estimate.NameWeights()
