"""The domain map's meeting through the API alone, with tokens: from a database holding only the
territory and two accounts (the regional secretary and the media officer of Fès-Meknès), the
secretary records the bodies, people, positions and mandates, plans the meeting, invites, records
attendance, agenda and decisions, holds it and drafts the communiqué; the media officer edits,
approves and publishes it; the published text is the golden file plus the media office's edit."""

import json
from pathlib import Path

import pytest

from abwab.accounts.tests.factories import RoleAssignmentFactory, UserFactory, confirmed_factor
from abwab.accounts.tokens import token_create
from abwab.core.roles import Role
from abwab.meetings.tests.domain import FES_NORTH_ARRONDISSEMENTS, PROVINCIAL_SECRETARIES
from abwab.territory.models import Territory
from abwab.territory.services import party_unit_create

pytestmark = pytest.mark.django_db
GOLDEN = Path(__file__).parent / "golden" / "regional_secretariat.ar.txt"
SINCE = "2023-01-01"
AGDAL = "03.231.01.01"


class Api:
    """Calls the API as one token, asserting each answer's status."""

    def __init__(self, client, user):
        _token, value = token_create(user=user, name="journey")
        self.client, self.headers = client, {"HTTP_AUTHORIZATION": f"Bearer {value}"}

    def call(self, method, path, payload=None, status=200):
        response = getattr(self.client, method)(
            "/api" + path,
            json.dumps(payload) if payload is not None else None,
            content_type="application/json",
            **self.headers,
        )
        assert response.status_code == status, (path, response.content.decode()[:500])
        return response.json() if response.content else None


def account(username, role):
    user = UserFactory(username=username)
    RoleAssignmentFactory(user=user, role=role, territory=Territory.objects.get(code="03"))
    confirmed_factor(user)
    return user


def test_the_domain_meeting_through_the_api(client):
    party_unit_create(
        code="fes-north",
        name_ar="فاس الشمالية",
        name_fr="Fès Nord",
        territory_codes=FES_NORTH_ARRONDISSEMENTS,
    )
    secretary = Api(client, account("fes_meknes", Role.REGIONAL_SECRETARY))
    media = Api(client, account("media", Role.MEDIA_OFFICER))

    def body(kind, name_ar, name_fr, **where):
        return secretary.call(
            "post",
            "/territory/bodies",
            {"kind": kind, "name_ar": name_ar, "name_fr": name_fr, **where},
            201,
        )["id"]

    def person(first_ar, last_ar, first_fr, last_fr, gender):
        return secretary.call(
            "post",
            "/people/",
            {
                "territory_code": AGDAL,
                "first_name_ar": first_ar,
                "last_name_ar": last_ar,
                "first_name_latin": first_fr,
                "last_name_latin": last_fr,
                "gender": gender,
            },
            201,
        )["id"]

    def appoint(body_id, person_id, function):
        secretary.call(
            "post",
            "/officials/positions",
            {"body_id": body_id, "person_id": person_id, "function": function, "starts_on": SINCE},
            201,
        )

    def mandate(person_id, institution, role, code):
        secretary.call(
            "post",
            "/officials/mandates",
            {
                "person_id": person_id,
                "institution": institution,
                "role": role,
                "territory_code": code,
                "starts_on": SINCE,
            },
            201,
        )

    region = {"territory_code": "03"}
    secretariat = body("regional_secretariat", "الأمانة الجهوية", "SR", **region)
    women = body("womens_organisation", "منظمة النساء", "Femmes", **region)
    group = body("council_group", "الفريق", "Groupe", **region)
    chair = person("كريم", "بناني", "Karim", "Bennani", "M")
    appoint(secretariat, chair, "regional_secretary")
    appoint(secretariat, person("نادية", "العلوي", "Nadia", "Alaoui", "F"), "deputy_secretary")
    appoint(secretariat, person("يوسف", "برادة", "Youssef", "Berrada", "M"), "treasurer")
    appoint(women, person("لطيفة", "بنجلون", "Latifa", "Benjelloun", "F"), "president")
    appoint(group, person("مصطفى", "العمراني", "Mustapha", "Amrani", "M"), "group_head")
    for where, first_ar, last_ar, first_fr, last_fr, gender in PROVINCIAL_SECRETARIES:
        place = {"party_unit_code": where} if where == "fes-north" else {"territory_code": where}
        province = body("provincial_secretariat", f"أ.إ {where}", f"SP {where}", **place)
        appoint(
            province, person(first_ar, last_ar, first_fr, last_fr, gender), "provincial_secretary"
        )
    ifrane = body("provincial_secretariat", "أ.إ إفران", "SP Ifrane", territory_code="03.271")
    excused = person("إدريس", "اليفراني", "Driss", "Ifrani", "M")
    appoint(ifrane, excused, "provincial_secretary")
    president = person("أحمد", "الطاهري", "Ahmed", "Tahiri", "M")
    mandate(president, "regional_council", "president", "03")
    mandate(person("سميرة", "الفاسي", "Samira", "Fassi", "F"), "parliament", "member", "03.231")
    mandate(person("عمر", "الإدريسي", "Omar", "Idrissi", "M"), "parliament", "member", "03.531")

    meeting = secretary.call(
        "post",
        "/meetings/",
        {
            "body_id": secretariat,
            "starts_at": "2024-11-10T10:00:00+01:00",
            "kind": "ordinary",
            "place": "المقر الجهوي للحزب بفاس",
            "place_fr": "le siège régional du parti à Fès",
            "chair_id": chair,
        },
        201,
    )["id"]
    candidates = secretary.call("get", f"/meetings/{meeting}/candidates")
    assert len(candidates) == 16 and sum(c["invited"] for c in candidates) == 3
    secretary.call(
        "post",
        f"/meetings/{meeting}/invitations",
        {
            "positions": [c["id"] for c in candidates if c["kind"] == "position"],
            "mandates": [c["id"] for c in candidates if c["kind"] == "mandate"],
        },
    )
    for group_kind in ("secretariat_members", "council_presidents", "directors"):
        secretary.call("post", f"/meetings/{meeting}/groups", {"group": group_kind})
    attendance = secretary.call("get", f"/meetings/{meeting}/attendance")
    assert len(attendance) == 16
    secretary.call(
        "put",
        f"/meetings/{meeting}/attendance",
        {
            "presences": [
                {
                    "person_id": row["person_id"],
                    "presence": "excused" if row["person_id"] == excused else "present",
                }
                for row in attendance
            ]
        },
    )
    secretary.call(
        "post",
        f"/meetings/{meeting}/agenda",
        {
            "title": "التحضير لأيام الأبواب المفتوحة",
            "title_fr": "la préparation des journées portes ouvertes",
            "summary": "ناقش المجتمعون برنامج الأيام وتوزيع المتطوعين على المقرات",
        },
    )
    secretary.call("post", f"/meetings/{meeting}/agenda", {"title": "تقييم أداء المنتخبين"})
    first = secretary.call(
        "post",
        f"/meetings/{meeting}/decisions",
        {"text": "تعميم الأبواب المفتوحة على جميع مقرات الحزب بالجهة", "due_on": "2024-12-01"},
    )
    secretary.call(
        "post",
        f"/meetings/{meeting}/decisions",
        {"text": "عقد اجتماعات الأمانات الإقليمية قبل نهاية الشهر"},
    )
    assert first["reference"] == "1/2024"
    assert secretary.call("post", f"/meetings/{meeting}/hold", {})["status"] == "held"
    report = secretary.call("get", f"/meetings/{meeting}/report")
    assert (report["present"], report["excused"], report["groups"], report["decisions"]) == (
        15,
        1,
        3,
        2,
    )
    draft = secretary.call("post", f"/meetings/{meeting}/communiques", {"language": "ar"})
    secretary.call("post", f"/meetings/communiques/{draft['id']}/submit")

    waiting = media.call("get", "/meetings/communiques?status=submitted")["items"]
    assert [c["id"] for c in waiting] == [draft["id"]]
    assert media.call("get", f"/meetings/{meeting}")["status"] == "held"
    seen = media.call("get", f"/meetings/{meeting}/attendance")
    assert len(seen) == 16  # present and excused: the names the communiqué publishes
    edited = draft["text"] + "\n\nحضر الاجتماع 16 مدعوا."
    media.call(
        "patch", f"/meetings/communiques/{draft['id']}", {"title": draft["title"], "text": edited}
    )
    media.call("post", f"/meetings/communiques/{draft['id']}/approve")
    published = media.call("post", f"/meetings/communiques/{draft['id']}/publish")
    assert published["status"] == "published"
    assert [p["channel"] for p in published["publications"]] == ["news_page"]

    page = client.get(f"/news/{published['slug']}/").content.decode()
    golden = GOLDEN.read_text(encoding="utf-8").rstrip("\n")
    assert f"{published['title']}\n\n{published['text']}" == golden + "\n\nحضر الاجتماع 16 مدعوا."
    assert "يوم الأحد 10 نونبر 2024 بالمقر الجهوي للحزب بفاس" in page
    assert "والنائبان البرلمانيان السيدة سميرة الفاسي -فاس- والسيد عمر الإدريسي -تاونات-" in page
