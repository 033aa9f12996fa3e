"""Synthetic demo data for the Fès-Meknès region. Every name here is generated; no real person."""

from dataclasses import dataclass

from django.db import models, transaction
from django.utils import translation
from django.utils.translation import gettext

from abwab.accounts.models import RoleAssignment, User
from abwab.core.roles import Role
from abwab.territory.models import Body, BodyKind, Level, Office, PartyUnit, Territory
from abwab.territory.services import party_unit_create

DEMO_PASSWORD = "abwab-demo-2026"  # noqa: S105  (printed by `make demo` on purpose)
REGION = "03"
FES_NORTH = [
    "03.231.01.11",
    "03.231.01.09",
    "03.231.01.13",
]  # El Mariniyine, Jnan El Ouard, Zouagha


@dataclass(frozen=True)
class DemoLogin:
    """One demo account: its username, role (a Role value) and the place (territory, office or
    party unit) it works in. `row` says the role and the place in one language, never mixed."""

    username: str
    role: str
    place: models.Model

    def row(self, language: str) -> tuple[str, str, str]:
        with translation.override(language):
            return self.username, str(Role(self.role).label), self.place.name


def login_table(logins, language: str) -> list[str]:
    """The demo accounts as a printable table, headers, roles and places all in `language`."""
    with translation.override(language):
        header = (gettext("Username"), gettext("Role"), gettext("Place"))
    rows = [header, *(login.row(language) for login in logins)]
    return [f"  {name:<16} {role:<28} {where}" for name, role, where in rows]


def _office(commune: Territory) -> Office:
    office, _ = Office.objects.get_or_create(
        territory=commune,
        name_fr=f"Siège de {commune.name_fr}",
        defaults={
            "name_ar": f"مقر {commune.name_ar}",
            "address": f"شارع محمد الخامس، {commune.name_ar}",
        },
    )
    return office


def _body(
    kind: str, territory: Territory, name_ar: str, name_fr: str, unit: PartyUnit | None = None
) -> Body:
    body, _ = Body.objects.get_or_create(
        kind=kind,
        territory=territory,
        party_unit=unit,
        defaults={"name_ar": name_ar, "name_fr": name_fr},
    )
    return body


def _user(username: str, role: str, first: str, last: str, **where) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_staff = role == Role.NATIONAL_ADMIN
        user.is_superuser = role == Role.NATIONAL_ADMIN
        user.save()
    RoleAssignment.objects.get_or_create(user=user, role=role, **where)
    return user


@transaction.atomic
def seed_structure() -> tuple[dict[str, Office], list[DemoLogin]]:
    """Offices, bodies, the Fès North unit and one user per role; running it again adds nothing."""
    nation = Territory.objects.get(level=Level.NATION)
    region = Territory.objects.get(code=REGION)
    _body(BodyKind.NATIONAL_SECRETARIAT, nation, "الأمانة الوطنية", "Secrétariat national")
    _body(BodyKind.NATIONAL_COUNCIL, nation, "المجلس الوطني", "Conseil national")
    _body(
        BodyKind.REGIONAL_SECRETARIAT,
        region,
        f"الأمانة الجهوية {region.name_ar}",
        f"Secrétariat régional {region.name_fr}",
    )
    _body(
        BodyKind.REGIONAL_COUNCIL,
        region,
        f"المجلس الجهوي {region.name_ar}",
        f"Conseil régional {region.name_fr}",
    )
    _body(
        BodyKind.WOMENS_ORGANISATION,
        region,
        f"منظمة النساء — {region.name_ar}",
        f"Organisation des femmes — {region.name_fr}",
    )
    _body(
        BodyKind.YOUTH_ORGANISATION,
        region,
        f"منظمة الشباب — {region.name_ar}",
        f"Organisation de la jeunesse — {region.name_fr}",
    )
    offices: dict[str, Office] = {}
    for province in region.children.order_by("code"):
        _body(
            BodyKind.PROVINCIAL_SECRETARIAT,
            province,
            f"الأمانة الإقليمية {province.name_ar}",
            f"Secrétariat provincial {province.name_fr}",
        )
        communes = province.children.filter(level=Level.COMMUNE).order_by(
            "-population_2024", "code"
        )[:3]
        for rank, commune in enumerate(communes):
            offices[commune.code] = _office(commune)
            if rank == 0:
                _body(
                    BodyKind.LOCAL_SECRETARIAT,
                    commune,
                    f"الأمانة المحلية {commune.name_ar}",
                    f"Secrétariat local {commune.name_fr}",
                )
    unit = PartyUnit.objects.filter(code="fes-north").first() or party_unit_create(
        code="fes-north", name_ar="فاس الشمالية", name_fr="Fès Nord", territory_codes=FES_NORTH
    )
    _body(
        BodyKind.PROVINCIAL_SECRETARIAT,
        unit.anchor,
        "الأمانة الإقليمية لفاس الشمالية",
        "Secrétariat provincial de Fès Nord",
        unit,
    )
    for code in FES_NORTH[:1]:
        offices[code] = _office(Territory.objects.get(code=code))

    taounate = Territory.objects.get(code="03.531")
    taounate_town = Territory.objects.get(code="03.531.01.05")
    meknes = Territory.objects.get(code="03.061")
    people = [
        ("admin", Role.NATIONAL_ADMIN, "سعيد", "الإدريسي", {"territory": nation}),
        ("fes_meknes", Role.REGIONAL_SECRETARY, "كريم", "بناني", {"territory": region}),
        ("taounate", Role.PROVINCIAL_SECRETARY, "نادية", "العلوي", {"territory": taounate}),
        ("meknes", Role.PROVINCIAL_SECRETARY, "يوسف", "برادة", {"territory": meknes}),
        ("fes_north", Role.PROVINCIAL_SECRETARY, "حسن", "التازي", {"party_unit": unit}),
        ("local_taounate", Role.LOCAL_SECRETARY, "خديجة", "الشرايبي", {"territory": taounate_town}),
        (
            "volunteer",
            Role.VOLUNTEER,
            "أمين",
            "الفاسي",
            {"territory": taounate_town, "office": offices[taounate_town.code]},
        ),
        ("media", Role.MEDIA_OFFICER, "سلمى", "القباج", {"territory": region}),
        ("auditor", Role.AUDITOR, "رشيد", "الكتاني", {"territory": region}),
    ]
    logins = []
    for username, role, first, last, where in people:
        _user(username, role, first, last, **where)
        place = where.get("office") or where.get("territory") or where.get("party_unit")
        logins.append(DemoLogin(username, role, place))
    return offices, logins


DEMO_MEMBERS = 400


def seed_people(count: int = DEMO_MEMBERS) -> str:
    """Synthetic members spread over the demo offices; each has a demo CIN, so a rerun adds nothing."""
    import datetime
    import random

    from abwab.demo.names import FEMALE, LAST, MALE
    from abwab.people.models import Education, Person, Skill
    from abwab.people.services import member_register, person_create

    rng = random.Random(2026)  # the same people every time
    offices = list(
        Office.objects.filter(territory__path__startswith="MA/03/")
        .select_related("territory")
        .order_by("pk")
    )
    skills = list(Skill.objects.all())
    existing = set(Person.objects.filter(cin__startswith="DM").values_list("cin", flat=True))
    volunteer = User.objects.get(username="volunteer")
    created = 0
    for index in range(count):
        gender = "F" if rng.random() < 0.38 else "M"
        first = rng.choice(FEMALE if gender == "F" else MALE)
        last = rng.choice(LAST)
        office = rng.choice(offices)
        birth = datetime.date(1950, 1, 1) + datetime.timedelta(days=rng.randrange(0, 365 * 55))
        joined = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(0, 330))
        phone = (
            f"06{rng.choice(['61', '62', '66', '67', '68', '70'])}{rng.randrange(100_000, 999_999)}"
        )
        education = rng.choice(list(Education))
        picked = rng.sample(skills, k=rng.choice([0, 0, 1, 1, 2]))
        cin = f"DM{index + 1:06d}"
        if cin in existing:
            continue
        with transaction.atomic():
            person = person_create(
                actor=None,
                territory=office.territory,
                office=office,
                first_name_ar=first[0],
                last_name_ar=last[0],
                first_name_latin=first[1],
                last_name_latin=last[1],
                gender=gender,
                birth_date=birth,
                cin=cin,
                phone=phone,
                education=education,
                skills=picked,
            )
            member_register(
                actor=volunteer, person=person, consent_given=True, office=office, joined_on=joined
            )
        created += 1
    return f"{created} members created, {len(existing)} already there"


def seed_campaign() -> str:
    """The first open-doors campaign: targets split down to Fès-Meknès's provinces, an event at every
    demo office (Taounate's open, its door busy), readiness under way, concerns and elected members."""
    import datetime

    from abwab.campaigns.door import checkin_record
    from abwab.campaigns.models import Campaign, CampaignStatus, Event, EventStatus, Purpose
    from abwab.campaigns.services import (
        campaign_create,
        campaign_set_status,
        event_plan,
        readiness_update,
    )
    from abwab.campaigns.targets import target_set_top, targets_split
    from abwab.listening.models import Category
    from abwab.listening.services import concern_record
    from abwab.people.models import Institution, Mandate, MandateRole, Person

    if Campaign.objects.filter(name_fr="Portes ouvertes — 1re édition").exists():
        return "campaign already there"
    admin = User.objects.get(username="admin")
    regional = User.objects.get(username="fes_meknes")
    volunteer = User.objects.get(username="volunteer")
    campaign = campaign_create(
        actor=admin,
        name_ar="الأبواب المفتوحة — الدورة الأولى",
        name_fr="Portes ouvertes — 1re édition",
        starts_on=datetime.date(2026, 11, 1),
        ends_on=datetime.date(2026, 12, 31),
        memo_ar="تنظم الأمانة الوطنية أياما للأبواب المفتوحة بجميع مقرات الحزب، بهدف استقبال المواطنات والمواطنين، "
        "والانفتاح على الكفاءات والأطر، والشباب والنساء، والإنصات لانشغالات الساكنة المحلية.",
        memo_fr="Le secrétariat national organise des journées portes ouvertes dans tous les sièges du parti.",
    )
    target_set_top(
        actor=admin,
        campaign=campaign,
        new_members=50_000,
        professionals=5_000,
        women_percent=40,
        under35_percent=45,
    )
    targets_split(actor=admin, campaign=campaign, territory=Territory.objects.get(code="MA"))
    targets_split(actor=regional, campaign=campaign, territory=Territory.objects.get(code=REGION))
    campaign_set_status(actor=admin, campaign=campaign, status=CampaignStatus.LAUNCHED)
    offices = Office.objects.filter(territory__path__startswith=f"MA/{REGION}/").order_by("pk")
    for index, office in enumerate(offices):
        event = event_plan(
            actor=admin,
            campaign=campaign,
            office=office,
            starts_on=datetime.date(2026, 11, 27),
            ends_on=datetime.date(2026, 12, 6),
            opens_at=datetime.time(10),
            closes_at=datetime.time(19),
        )
        for item in event.items.all():
            share = 1.0 if index % 3 == 0 else 0.6
            readiness_update(
                actor=admin, item=item, allocated=item.needed, delivered=int(item.needed * share)
            )
    taounate_event = Event.objects.get(campaign=campaign, office__territory__code="03.531.01.05")
    taounate_event.items.update(delivered=models.F("needed"), allocated=models.F("needed"))
    Event.objects.filter(pk=taounate_event.pk).update(status=EventStatus.OPEN)
    taounate_event.refresh_from_db()
    for i in range(30):
        checkin_record(
            actor=volunteer,
            event=taounate_event,
            client_key=f"demo-checkin-{i}",
            name=f"زائر {i + 1}",
            purpose=[Purpose.INFORMATION, Purpose.MEMBERSHIP, Purpose.CONCERN][i % 3],
            gender="F" if i % 2 else "M",
            age_band=["18-24", "25-34", "35-44", "45-59", "60+"][i % 5],
        )
    for i, (code, text) in enumerate(
        [
            ("water", "انقطاعات متكررة للماء الصالح للشرب بالدواوير المجاورة"),
            ("water", "غياب شبكة التطهير"),
            ("roads", "الطريق المؤدية إلى السوق الأسبوعي في حالة سيئة"),
            ("health", "نقص الأطر الطبية بالمركز الصحي"),
            ("employment", "بطالة حاملي الشهادات"),
            ("water", "ضعف صبيب الماء صيفا"),
        ]
    ):
        concern_record(
            actor=volunteer,
            client_key=f"demo-concern-{i}",
            territory=taounate_event.office.territory,
            category=Category.objects.get(code=code),
            description=text,
            event=taounate_event,
        )
    start = datetime.date(2021, 9, 20)
    elected = Person.objects.filter(cin__startswith="DM").order_by("pk")[:3]
    for person, (institution, role, code) in zip(
        elected,
        [
            (Institution.PARLIAMENT, MandateRole.MEMBER, "03.531"),
            (Institution.COMMUNAL_COUNCIL, MandateRole.PRESIDENT, "03.531.01.05"),
            (Institution.REGIONAL_COUNCIL, MandateRole.VICE_PRESIDENT, REGION),
        ],
        strict=False,
    ):
        Mandate.objects.get_or_create(
            person=person,
            institution=institution,
            role=role,
            territory=Territory.objects.get(code=code),
            defaults={"starts_on": start},
        )
    return f"campaign with {offices.count()} events"
