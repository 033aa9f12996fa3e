"""The route table behind the isolation test: every URL pattern of the project must appear here.

A route is either public (no personal or scoped data), national-admin only (Django's admin), a list
(checked for what it shows) or an object route (given the object of a place, it must answer 200
inside the actor's scope and 404 outside). A route added later and not listed makes the test fail,
so nobody can add a page and forget to think about who may reach it.
"""

from django.urls import URLPattern, URLResolver, get_resolver

from abwab.messaging.tests.helpers import place_send
from abwab.public.tests.held import held_concern

PUBLIC = {
    "campaigns:memo_read",  # issue 16: an office holder's signed read link (the memo only)
    "meetings:reply",  # issue 16: an invitee's signed reply link (no login; the token is the key)
    "accounts:password_reset",  # issue 16: the same answer for any address
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",  # issue 16: a one-time token is the key
    "accounts:password_reset_complete",
    "core:health",
    "messaging:unsubscribe",  # issue 16: a signed token; shows only a purpose and a channel
    "campaigns:door_sw",  # the offline desk's service worker: code, no data
    "accounts:login",
    "accounts:logout",
    "set_language",
    "news:list",
    "news:feed",
    "news:detail",
    "news:pdf",
    "accounts:second_factor",
    "accounts:reauthenticate",
    "api:openapi-json",
    "api:openapi-view",
    "api:api-root",
    "public:prereg",  # issue 19: a public form (public events only; internal ones answer 404)
    "public:receipt",  # issue 19: a pre-registration's receipt: event, day, address; no name/phone
    "public:poster",  # issue 19: public events only (an internal one answers 404)
    "public:poster_pdf",
    "public:share",
    "public:documents",  # issue 19: public documents of a launched campaign only
    "public:document",
    "public:index",  # issue 19 pages: public events of launched campaigns only
    "public:region",
    "public:province",
    "public:commune",
    "public:event",  # an internal event answers 404
    "public:event_ics",
    "public:commune_ics",
    "public:search",
    "public:near",
    "messaging:sms_callback",  # issue 16: the SMS gateway posts receipts (shared secret)
    "messaging:sms_callback_header",  # issue 16: the same, secret in a header
    "public:concern",  # issue 19: a public form (its commune comes from the public tree)
    "public:follow",  # issue 19: a receipt's status only, never the concern's text or contact
}

# name -> (model attribute of a Place, URL kwargs builder)
OBJECT_ROUTES = {
    "people:consents": ("person", lambda obj: {"pk": obj.pk}),  # issue 16: consent ledger
    "people:consents_evidence": ("person", lambda obj: {"pk": obj.pk, "kind": "csv"}),
    "api:update_office": ("office", lambda obj: {"office_id": obj.pk}),  # its PATCH; GET answers
    "api:update_item": ("event", lambda obj: {"event_id": obj.pk}),  # its PATCH; GET answers
    "api:list_items": ("event", lambda obj: {"event_id": obj.pk}),
    # Bodies' office holders (issue 13): the body's page and the API's reads.
    "people:body": ("body", lambda obj: {"pk": obj.pk}),
    "territory:body_edit": ("body", lambda obj: {"pk": obj.pk}),
    "api:get_body": ("body", lambda obj: {"body_id": obj.pk}),
    "api:update_body": ("body", lambda obj: {"body_id": obj.pk}),  # its PATCH; GET answers here
    "api:get_body_terms": ("body", lambda obj: {"body_id": obj.pk}),
    "api:get_person_terms": ("person", lambda obj: {"person_id": obj.pk}),
    "territory:detail": ("node", lambda obj: {"pk": obj.pk}),
    "territory:office_detail": ("office", lambda obj: {"pk": obj.pk}),
    "territory:body_detail": ("body", lambda obj: {"pk": obj.pk}),
    "people:detail": ("person", lambda obj: {"pk": obj.pk}),
    "core:job": ("job", lambda obj: {"pk": obj.pk}),
    "messaging:send": ("node", lambda obj: {"pk": place_send(obj).pk}),  # issue 16: a send
    "people:cluster": ("cluster", lambda obj: {"pk": obj.pk}),
    "people:merge_undo": ("merge", lambda obj: {"pk": obj.pk}),
    "campaigns:event": ("event", lambda obj: {"pk": obj.pk}),
    "campaigns:door": ("event", lambda obj: {"pk": obj.pk}),
    "campaigns:door_offline": ("event", lambda obj: {"pk": obj.pk}),
    "campaigns:door_manifest": ("event", lambda obj: {"pk": obj.pk}),
    "campaigns:card": ("membership", lambda obj: {"pk": obj.pk}),
    "listening:dossier": ("dossier", lambda obj: {"pk": obj.pk}),
    "meetings:detail": ("meeting", lambda obj: {"pk": obj.pk}),
    "meetings:communique": ("communique", lambda obj: {"pk": obj.pk}),
    "meetings:attachment": ("attachment", lambda obj: {"pk": obj.pk}),
    "meetings:founding": ("founding", lambda obj: {"pk": obj.pk}),  # issue 14: founding a branch
    "api:get_person": ("person", lambda obj: {"person_id": obj.pk}),
    "api:get_office": ("office", lambda obj: {"office_id": obj.pk}),
    "api:get_node": ("node", lambda obj: {"code": obj.code}),
    "api:get_event": ("event", lambda obj: {"event_id": obj.pk}),
    "api:get_progress": (
        "target",
        lambda obj: {"campaign_id": obj.campaign_id, "code": obj.territory.code},
    ),
    "api:get_concern": ("concern", lambda obj: {"concern_id": obj.pk}),
    "api:get_dossier": ("dossier", lambda obj: {"dossier_id": obj.pk}),
    "api:get_meeting": ("meeting", lambda obj: {"meeting_id": obj.pk}),
    "api:get_decision": ("decision", lambda obj: {"decision_id": obj.pk}),
    # The meeting record's reads; the PATCH/DELETE/PUT at the same addresses answer GET like them.
    **dict.fromkeys(
        [
            "api:list_candidates",
            "api:get_attendance",
            "api:record_attendance",
            "api:get_report",
            "api:update_meeting",
            "api:delete_meeting",
        ],
        ("meeting", lambda obj: {"meeting_id": obj.pk}),
    ),
    **dict.fromkeys(
        ["api:get_communique", "api:update_communique"],
        ("communique", lambda obj: {"communique_id": obj.pk}),
    ),
    "people:export": ("person", lambda obj: {"pk": obj.pk}),
    "people:import": ("import_batch", lambda obj: {"pk": obj.pk}),
    "people:card_pdf": ("membership", lambda obj: {"pk": obj.pk}),
    # A card sheet is a job's file; the places' jobs have none (404 inside too, see NOT_FOR): the
    # download of real sheets, inside and outside the scope, is tested in people/tests/test_cards.py.
    "people:cards_file": ("job", lambda obj: {"pk": obj.pk}),
    "people:anonymise": ("person", lambda obj: {"pk": obj.pk}),
    "campaigns:split": (
        "target",
        lambda obj: {"pk": obj.campaign_id, "territory_pk": obj.territory_id},
    ),
    "people:edit": ("person", lambda obj: {"pk": obj.pk}),
}

# Lists: the names of the objects of a place that may show (office and body names carry the place key).
# Lists and pages of national objects: name -> URL kwargs built from the places (None for none).
LIST_ROUTES = {
    "campaigns:memo": lambda places: {"pk": places["taounate_a"].event.campaign_id},  # issue 16
    "messaging:compose": None,  # issue 16: a message to the filtered members of one's scope
    "people:consents_evidence_list": None,  # issue 16: consents of the filtered list
    "accounts:password_change": None,  # issue 16: one's own password
    "territory:body_list": None,
    "people:officials": None,
    "api:list_bodies": None,
    "api:list_officials": None,
    "core:home": None,
    "territory:office_list": None,
    "people:list": None,
    "people:register": None,
    "people:duplicates": None,
    "people:clusters": None,
    "campaigns:list": None,
    "listening:dossiers": None,
    "listening:concern_new": None,
    "meetings:list": None,
    "meetings:decisions": None,
    "meetings:coverage": None,
    "meetings:communiques": None,
    "accounts:tokens": None,  # issue 14: one's own API tokens (revoking another's answers 404)
    "meetings:programmes": None,  # issue 14: programmes of meetings, the calendar, its export
    "meetings:calendar": None,
    "meetings:calendar_ics": None,
    "api:list_foundings": None,
    "api:list_programmes": None,
    "api:get_calendar": None,
    "core:audit": None,
    "people:export_list": None,
    "people:cards_print": None,
    "people:imports": None,
    "people:import_template": lambda places: {"kind": "csv"},  # issue 15: a file to fill
    "reports:dashboard": None,
    "reports:dashboard_pdf": None,
    "public:moderation": None,  # issue 19: held public forms of the scope (empty for others)
    **dict.fromkeys(
        [
            "api:list_people",
            "api:list_offices",
            "api:list_events",
            "api:list_concerns",
            "api:list_dossiers",
            "api:list_meetings",
            "api:list_decisions",
            "api:list_communiques",
        ]
    ),
    "campaigns:detail": lambda places: {"pk": places["taounate_a"].event.campaign_id},
}


def all_routes(resolver=None, namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    """(qualified name, pattern) for every URL pattern, recursively; unnamed ones by their pattern."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += all_routes(entry, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else ""
            found.append((name, prefix + str(entry.pattern)))
    return found


# Routes that only take a POST naming an object: name -> how to build the request, and the model
# whose row count must not change when the object lies outside the actor's scope.
POST_ROUTES = {
    # Issue 16: pausing or resuming another territory's send.
    **{
        name: {
            "attribute": "node",
            "kwargs": lambda obj: {"pk": place_send(obj).pk},
            "data": lambda obj: {},
            "model": "messaging.Message",
        }
        for name in ("messaging:send_pause", "messaging:send_resume")
    },
    # Campaigns from the API (issue 14).
    "api:create_campaign": {
        "attribute": "node",
        "data": lambda obj: {
            "name_ar": "ح",
            "name_fr": "C",
            "starts_on": "2027-01-01",
            "ends_on": "2027-01-31",
            "memo_ar": "م",
            "targets": {"new_members": 1},
        },
        "model": "campaigns.Campaign",
        "json": True,
    },
    "api:set_campaign_status": {
        "attribute": "event",
        "kwargs": lambda obj: {"campaign_id": obj.campaign_id},
        "data": lambda obj: {"status": "closed"},
        "model": "campaigns.Campaign",
        "json": True,
    },
    "api:acknowledge_campaign": {
        "attribute": "event",
        "kwargs": lambda obj: {"campaign_id": obj.campaign_id},
        "data": lambda obj: {"place": obj.office.territory.code},
        "model": "campaigns.CampaignAcknowledgement",
        "json": True,
    },
    "api:split_target": {
        "attribute": "target",
        "kwargs": lambda obj: {"campaign_id": obj.campaign_id},
        "data": lambda obj: {"place": obj.territory.code},
        "model": "campaigns.Target",
        "json": True,
    },
    "api:plan_event": {
        "attribute": "event",
        "kwargs": lambda obj: {"campaign_id": obj.campaign_id},
        "data": lambda obj: {
            "office_id": obj.office_id,
            "starts_on": "2026-11-02",
            "ends_on": "2026-11-02",
            "opens_at": "10:00",
            "closes_at": "18:00",
        },
        "model": "campaigns.Event",
        "json": True,
    },
    "api:copy_event": {
        "attribute": "event",
        "kwargs": lambda obj: {"event_id": obj.pk},
        "data": lambda obj: {"province_code": obj.office.territory.ancestors()[2].code},
        "model": "campaigns.Event",
        "json": True,
    },
    "api:add_item": {
        "attribute": "event",
        "kwargs": lambda obj: {"event_id": obj.pk},
        "data": lambda obj: {"label": "x", "needed": 1},
        "model": "campaigns.ReadinessItem",
        "json": True,
    },
    "api:create_office": {
        "attribute": "node",
        "data": lambda obj: {
            "territory_code": obj.code,
            "name_ar": "م",
            "name_fr": "O",
            "address": "a",
        },
        "model": "territory.Office",
        "json": True,
    },
    # Campaigns from the screen (issue 14): every id posted goes through the gate.
    "campaigns:new": {
        "attribute": "node",
        "data": lambda obj: {
            "name_ar": "ح",
            "name_fr": "C",
            "starts_on": "2027-01-01",
            "ends_on": "2027-01-31",
            "memo_ar": "م",
            "lead_days": "3",
            **dict.fromkeys(("new_members", "women", "youth", "professionals", "visitors"), "1"),
        },
        "model": "campaigns.Campaign",
    },
    "campaigns:status": {
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.campaign_id},
        "data": lambda obj: {"status": "closed"},
        "model": "campaigns.Campaign",
    },
    "campaigns:acknowledge": {
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.campaign_id},
        "data": lambda obj: {"place": obj.office.territory.code},
        "model": "campaigns.CampaignAcknowledgement",
    },
    "campaigns:goal": {
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.campaign_id},
        "data": lambda obj: {"place": obj.office.territory.code, "text_ar": "ه"},
        "model": "campaigns.LocalGoal",
    },
    "campaigns:items": {
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.campaign_id},
        "data": lambda obj: {"action": "add", "kind": "other", "label": "x", "needed": "1"},
        "model": "campaigns.CampaignItem",
    },
    "campaigns:event_new": {
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.campaign_id},
        "data": lambda obj: {
            "office": obj.office_id,
            "starts_on": "2026-11-02",
            "ends_on": "2026-11-02",
            "opens_at": "10:00",
            "closes_at": "18:00",
        },
        "model": "campaigns.Event",
    },
    # Issue 19: the campaign's documents and the public fields (those who may change them only).
    "campaigns:documents": {
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.campaign_id},
        "data": lambda obj: {"action": "add", "kind": "programme", "title_ar": "ب"},
        "model": "campaigns.CampaignDocument",
    },
    "campaigns:public": {
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.campaign_id},
        "data": lambda obj: {"public_intro_ar": "ت"},
        "model": "campaigns.Campaign",
    },
    "campaigns:event_public": {
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.pk},
        "data": lambda obj: {"public": "on", "address_on_request": "on"},
        "model": "campaigns.Event",
    },
    "campaigns:door_arrive": {  # issue 19: a pre-registered visitor arrives at the desk
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.pk},
        "data": lambda obj: {"code": "ABCD1234"},
        "model": "campaigns.CheckIn",
    },
    "campaigns:event_copy": {
        "attribute": "event",
        "kwargs": lambda obj: {"pk": obj.pk},
        "data": lambda obj: {"province": obj.office.territory.ancestors()[2].code},
        "model": "campaigns.Event",
    },
    "territory:office_new": {
        "attribute": "node",
        "data": lambda obj: {"territory": obj.code, "name_ar": "م", "name_fr": "O", "address": "a"},
        "model": "territory.Office",
    },
    "territory:office_edit": {
        "attribute": "office",
        "kwargs": lambda obj: {"pk": obj.pk},
        "data": lambda obj: {"name_ar": "م", "name_fr": "O", "address": "a"},
        "model": "territory.Office",
    },
    # Bodies, positions and mandates (issue 13): every id posted goes through the gate.
    "territory:body_new": {
        "attribute": "node",
        "data": lambda obj: {
            "kind": "youth_organisation",
            "territory": obj.code,
            "name_ar": "ش",
            "name_fr": "J",
            "quorum": "majority",
        },
        "model": "territory.Body",
    },
    "api:create_body": {
        "attribute": "node",
        "data": lambda obj: {
            "kind": "youth_organisation",
            "territory_code": obj.code,
            "name_ar": "ش",
            "name_fr": "J",
        },
        "model": "territory.Body",
        "json": True,
    },
    "people:body_appoint": {
        "attribute": "body",
        "kwargs": lambda obj: {"pk": obj.pk},
        "data": lambda obj: {
            "function": "member",
            "starts_on": "2026-01-01",
            "new_first_name_ar": "سعاد",
            "new_territory": obj.territory.code,
        },
        "model": "people.Position",
    },
    "api:appoint": {
        "attribute": "position",
        "data": lambda obj: {
            "body_id": obj.body_id,
            "person_id": obj.person_id,
            "function": "treasurer",
            "starts_on": "2026-01-01",
        },
        "model": "people.Position",
        "json": True,
    },
    "people:mandate_enter": {
        "attribute": "person",
        "data": lambda obj: {
            "person": obj.pk,
            "institution": "communal_council",
            "role": "vice_president",
            "territory": obj.territory.code,
            "starts_on": "2026-01-01",
        },
        "model": "people.Mandate",
    },
    "api:enter_mandate": {
        "attribute": "person",
        "data": lambda obj: {
            "person_id": obj.pk,
            "institution": "communal_council",
            "role": "vice_president",
            "territory_code": obj.territory.code,
            "starts_on": "2026-01-01",
        },
        "model": "people.Mandate",
        "json": True,
    },
    # Ending a term adds no row: what shows is the 404 (the term's end is checked in people's tests).
    "people:position_end": {
        "attribute": "position",
        "kwargs": lambda obj: {"pk": obj.pk},
        "data": lambda obj: {"ends_on": "2026-01-02"},
        "model": "people.Position",
    },
    "people:mandate_end": {
        "attribute": "mandate",
        "kwargs": lambda obj: {"pk": obj.pk},
        "data": lambda obj: {"ends_on": "2026-01-02"},
        "model": "people.Mandate",
    },
    "api:end_position": {
        "attribute": "position",
        "kwargs": lambda obj: {"position_id": obj.pk},
        "data": lambda obj: {"ends_on": "2026-01-02"},
        "model": "people.Position",
        "json": True,
    },
    "api:end_mandate": {
        "attribute": "mandate",
        "kwargs": lambda obj: {"mandate_id": obj.pk},
        "data": lambda obj: {"ends_on": "2026-01-02"},
        "model": "people.Mandate",
        "json": True,
    },
    "api:plan_founding": {
        "attribute": "node",
        "data": lambda obj: {"commune_code": obj.code, "starts_at": "2026-12-01T10:00:00+01:00"},
        "model": "meetings.Founding",
        "json": True,
    },
    "api:add_founder": {
        "attribute": "founding",
        "kwargs": lambda obj: {"founding_id": obj.pk},
        "data": lambda obj: {"person_id": obj.founders.model.objects.first().pk},
        "model": "meetings.Founding_founders",
        "json": True,
    },
    "api:record_founding": {
        "attribute": "founding",
        "kwargs": lambda obj: {"founding_id": obj.pk},
        "data": lambda obj: {"founded_on": "2026-12-01", "officers": {}},
        "model": "territory.Body",
        "json": True,
    },
    "api:plan_programme": {
        "attribute": "body",
        "data": lambda obj: {
            "pattern": "repeat",
            "body_id": obj.pk,
            "count": 1,
            "starts_at": "2026-12-01T10:00:00+01:00",
        },
        "model": "meetings.Programme",
        "json": True,
    },
    "meetings:founding_new": {
        "attribute": "node",
        "data": lambda obj: {"commune": obj.code, "starts_at": "2026-12-01T10:00"},
        "model": "meetings.Founding",
    },
    "meetings:new": {
        "attribute": "body",
        "data": lambda obj: {"body": obj.pk, "starts_at": "2026-12-01T10:00"},
        "model": "meetings.Meeting",
    },
    "meetings:communique_new": {
        "attribute": "meeting",
        "kwargs": lambda obj: {"pk": obj.pk},
        "data": lambda obj: {"language": "ar"},
        "model": "meetings.Communique",
    },
    "api:create_meeting": {
        "attribute": "body",
        "data": lambda obj: {"body_id": obj.pk, "starts_at": "2026-12-01T10:00:00+01:00"},
        "model": "meetings.Meeting",
        "json": True,
    },
    # Writes to one meeting: 404 outside the scope, and nothing added.
    **{
        name: {
            "attribute": "meeting",
            "kwargs": lambda obj: {"meeting_id": obj.pk},
            "data": lambda obj, data=data: data,
            "model": model,
            "json": True,
        }
        for name, data, model in [
            ("api:cancel_meeting", {"reason": "x"}, "meetings.Meeting"),
            ("api:invite", {"positions": [], "mandates": [], "guests": []}, "meetings.Attendance"),
            ("api:invite_group", {"group": "directors"}, "meetings.Invitation"),
            ("api:add_agenda_item", {"title": "x"}, "meetings.AgendaItem"),
            ("api:add_decision", {"text": "x"}, "meetings.Decision"),
            ("api:hold_meeting", {}, "meetings.Meeting"),
            ("api:approve_minutes", {}, "meetings.Meeting"),
            ("api:draft_communique", {"language": "ar"}, "meetings.Communique"),
        ]
    },
    "api:set_decision_status": {
        "attribute": "decision",
        "kwargs": lambda obj: {"decision_id": obj.pk},
        "data": lambda obj: {"status": "done"},
        "model": "meetings.DecisionUpdate",
        "json": True,
    },
    **{
        name: {
            "attribute": "communique",
            "kwargs": lambda obj: {"communique_id": obj.pk},
            "data": lambda obj, data=data: data,
            "model": model,
            "json": True,
        }
        for name, data, model in [
            ("api:submit_communique", {}, "meetings.Communique"),
            ("api:approve_communique", {}, "meetings.Communique"),
            ("api:send_back_communique", {"comment": "x"}, "meetings.Communique"),
            ("api:publish_communique", {}, "meetings.Publication"),
            ("api:record_publication", {"channel": "press"}, "meetings.Publication"),
        ]
    },
    "api:create_person": {
        "attribute": "node",
        "data": lambda obj: {"territory_code": obj.code, "first_name_ar": "سعاد"},
        "model": "people.Person",
        "json": True,
    },
    "api:create_checkin": {
        "attribute": "event",
        "kwargs": lambda obj: {"event_id": obj.pk},
        "data": lambda obj: {"client_key": f"iso-{obj.pk}", "name": "س", "purpose": "information"},
        "model": "campaigns.CheckIn",
        "json": True,
    },
    "api:create_signup": {
        "attribute": "event",
        "kwargs": lambda obj: {"event_id": obj.pk},
        "data": lambda obj: {
            "client_key": f"iso-signup-{obj.pk}",
            "person": {"first_name_ar": "سعاد", "last_name_ar": "العلوي"},
            "consent_given": True,
            "on_duplicate": "review",
        },
        "model": "people.Membership",
        "json": True,
    },
    "api:sync_entries": {
        "attribute": "event",
        "kwargs": lambda obj: {"event_id": obj.pk},
        "data": lambda obj: {
            "entries": [
                {"kind": "checkin", "client_key": f"iso-sync-{obj.pk}", "checkin": {"name": "س"}}
            ]
        },
        "model": "campaigns.CheckIn",
        "json": True,
    },
    # Printing cards: a person id from another territory in the form is refused, no job is queued.
    "people:cards_print": {
        "attribute": "person",
        "data": lambda obj: {"person": [obj.pk]},
        "model": "core.Job",
    },
    "public:moderation_decide": {  # issue 19: approving a held form of another territory
        "attribute": "node",
        "kwargs": lambda obj: {"pk": held_concern(obj).pk},
        "data": lambda obj: {"decision": "approve"},
        "model": "listening.Concern",
    },
    "api:create_concern": {
        "attribute": "node",
        "data": lambda obj: {
            "client_key": f"iso-{obj.pk}",
            "territory_code": obj.code,
            "category": "water",
            "description": "x",
        },
        "model": "listening.Concern",
        "json": True,
    },
}


def unclassified_routes() -> list[tuple[str, str]]:
    """Routes nobody has said how to check (Django's admin is checked as a whole)."""
    known = PUBLIC | set(LIST_ROUTES) | set(OBJECT_ROUTES) | set(POST_ROUTES)
    return [
        (name, pattern)
        for name, pattern in all_routes()
        if not pattern.startswith(("admin/", "static/")) and name not in known
    ]
