"""The door-day world the load and fault benchmarks run against: open events at many offices, one
volunteer per office with an API token, and what a volunteer types at the desk.

Used by ``bench.load`` and ``bench.faults`` (and the fault test), always inside a configured Django.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

NATION = "MA"


@dataclass(frozen=True)
class Desk:
    """One open event's desk: where to post, as whom, and the commune its visitors live in."""

    event_id: int
    territory_code: str
    token: str


def door_world(*, offices: int, tag: str = "bench", seed: int = 1) -> list[Desk]:
    """Create `offices` offices in distinct communes, each with an open event and a volunteer
    holding an API token; returns their desks. Offices already made with this tag are reused, with
    new tokens (the clear value is never stored)."""
    from django.db import transaction

    from abwab.accounts.models import RoleAssignment, User
    from abwab.accounts.tokens import token_create
    from abwab.campaigns.models import Campaign, CampaignStatus, Event, EventStatus
    from abwab.core.roles import Role
    from abwab.territory.models import Level, Office, Territory

    rng = random.Random(seed)
    from django.utils import timezone

    today = timezone.localdate()
    communes = list(
        Territory.objects.filter(level__gte=Level.COMMUNE, children__isnull=True).order_by("code")
    )
    chosen = sorted(rng.sample(communes, min(offices, len(communes))), key=lambda t: t.code)
    desks: list[Desk] = []
    with transaction.atomic():
        campaign, _ = Campaign.objects.get_or_create(
            name_fr=f"Portes ouvertes ({tag})",
            defaults={
                "name_ar": f"الأبواب المفتوحة ({tag})",
                "starts_on": today - datetime.timedelta(days=1),
                "ends_on": today + datetime.timedelta(days=30),
                "memo_ar": "-",
                "territory": Territory.objects.get(code=NATION),
                "status": CampaignStatus.LAUNCHED,
            },
        )
        for i, commune in enumerate(chosen):
            office, _ = Office.objects.get_or_create(
                territory=commune,
                name_fr=f"{tag} {i}",
                defaults={"name_ar": f"{tag} {i}", "address": f"{i} شارع الحسن الثاني"},
            )
            event = Event.objects.filter(campaign=campaign, office=office).first()
            if event is None:
                event = Event.objects.create(
                    campaign=campaign,
                    office=office,
                    starts_on=today,
                    ends_on=today,
                    opens_at=datetime.time(0),
                    closes_at=datetime.time(23, 59),
                    status=EventStatus.OPEN,
                )
            user, created = User.objects.get_or_create(username=f"{tag}-volunteer-{i}")
            if created:
                user.set_unusable_password()
                user.save()
                RoleAssignment.objects.create(
                    user=user, role=Role.VOLUNTEER, territory=commune, office=office
                )
            _token, secret = token_create(user=user, name=tag)
            desks.append(Desk(event_id=event.pk, territory_code=commune.code, token=secret))
    return desks


# What the volunteer types ------------------------------------------------------------------------

AGE_BANDS = ("18-24", "25-34", "35-44", "45-59", "60+")
EDUCATION = ("secondary", "bac", "university", "vocational", "primary")
PROFESSIONS = ("enseignante", "ingénieur", "commerçant", "infirmière", "étudiant", "agriculteur")


def mobile(rng: random.Random) -> str:
    """A Moroccan mobile number phonenumbers accepts."""
    prefix = rng.choice(("60", "61", "62", "65", "66", "67", "70", "77"))
    return "0" + prefix + str(rng.randrange(10**7)).zfill(7)


def checkin_body(key: str, desk: Desk, rng: random.Random, name: str = "") -> dict:
    return {
        "client_key": key,
        "name": name or rng.choice(("زائر", "Visiteur", "سعاد بناني", "Karim Alaoui")),
        "purpose": rng.choice(("information", "information", "concern")),
        "territory_code": desk.territory_code,
        "phone": mobile(rng),
        "age_band": rng.choice(AGE_BANDS),
        "gender": rng.choice(("F", "M", "")),
    }


def sync_entry(kind: str, body: dict) -> dict:
    """An entry of the offline queue (``/sync``) from the body posted alone."""
    if kind == "checkin":
        visit = {k: v for k, v in body.items() if k != "client_key"}
        return {"kind": kind, "client_key": body["client_key"], "checkin": visit}
    return {"kind": kind, **{k: v for k, v in body.items() if k != "on_duplicate"}}


def signup_body(
    key: str, desk: Desk, person: dict, rng: random.Random, on_duplicate: str = "review"
) -> dict:
    """A sign-up of `person` (the Person columns as typed: names, birth date, cin, phone, gender,
    email) at the desk."""
    name = " ".join(
        person.get(k) or ""
        for k in ("first_name_ar", "last_name_ar", "first_name_latin", "last_name_latin")
        if person.get(k)
    )
    birth = person.get("birth_date")
    return {
        "client_key": key,
        "checkin": {
            "name": name[:200] or "-",
            "purpose": "membership",
            "territory_code": desk.territory_code,
            "phone": person.get("phone", ""),
            "age_band": rng.choice(AGE_BANDS),
            "gender": person.get("gender", ""),
        },
        "person": {
            "first_name_ar": person.get("first_name_ar", ""),
            "last_name_ar": person.get("last_name_ar", ""),
            "first_name_latin": person.get("first_name_latin", ""),
            "last_name_latin": person.get("last_name_latin", ""),
            "birth_date": birth.isoformat() if birth else None,
            "cin": person.get("cin") or "",
            "phone": person.get("phone", ""),
            "email": person.get("email", ""),
            "gender": person.get("gender", ""),
            "education": rng.choice(EDUCATION),
            "profession": rng.choice(PROFESSIONS),
        },
        "consent_given": True,
        "existing_person_id": None,
        "on_duplicate": on_duplicate,
    }
