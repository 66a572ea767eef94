"""Hostile input never makes a server error: every view of the site (Django's admin aside),
reached as the role that may use it, answers a 4xx or a page to huge, negative and
non-numbers, control and direction characters and a megabyte of text in every field its
pages post and in its query string (issue 11, item 12).

The views are found by walking the URL resolver, so a new view is covered without a change
here; a view whose address needs an object this file does not know fails the test
``test_every_view_is_reached``. The form fields of each view are read from the pages that
post to it. Hypothesis draws a fixed, small number of examples per view, derandomised, so
that a run takes a few tens of seconds and CI sees the same examples every time.
"""

import html.parser
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regionet.applications import services
from tests.factories import (
    AttachmentFactory,
    EventFactory,
    FunderRoleFactory,
    InvitationFactory,
    QuestionFactory,
    QuestionnaireVersionFactory,
    SectionFactory,
    eligible_draft,
    open_phase,
)

# Examples per view: enough to hit each field with a few kinds of hostile value.
EXAMPLES = 6
MEGABYTE = "x" * 1_048_576

HOSTILE_VALUES = [
    "",
    "0",
    "-1",
    "9" * 30,
    str(10**20),
    str(-(10**20)),
    str(2**63),
    str(2**31),
    "1e999",
    "-1e-999",
    "NaN",
    "Infinity",
    "1,5",
    "1 000,00",
    "0x1F",
    "١٢٣",
    "abc",
    "None",
    "true",
    "[]",
    "{}",
    "2021-02-30",
    "9999-12-31",
    "0000-00-00",
    "24:61",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b",
    "Vety\u202everkosto",
    "\u2066\u2067\u2068\u2069\u200e\u200f",
    "\ufeff\ud7ff\U0010ffff",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "'; DROP TABLE applications_application; --",
    "%s%n%x",
    '=HYPERLINK("http://example.invalid")',
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
]

HOSTILE = st.one_of(
    st.sampled_from(HOSTILE_VALUES),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.text(
        alphabet=st.characters(
            categories=("Cc", "Cf", "Zs", "Zl", "Lu", "Ll", "Nd", "Po", "Sm"),
            exclude_characters="\ud800",
        ),
        max_size=40,
    ),
    st.just(MEGABYTE),
)

# Names that views read from the request besides their forms' fields.
EXTRA_FIELDS = {
    "action": set(),
    "version": set(),
    "attachment": set(),
    "partner": set(),
    "applications": set(),
    "number": set(),
    "page": set(),
    "q": set(),
    "sort": set(),
    "next": set(),
    "remove": set(),
    "question": set(),
    "stay": set(),
    "complete": set(),
    "autosave": set(),
    "language": set(),
}

# Views whose address needs an object: the URL keyword and how to find it in the world.
ANONYMOUS_VIEWS = {
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_request_login_code",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_email_verification_sent",
    "account_inactive",
    "mfa_authenticate",
    "events:cancel_registration",
}


@dataclass
class World:
    """One of everything a view's address can name, and the people who may use them."""

    coordinator: object
    officer: object
    draft: object
    submitted: object
    attachment: object
    section: object
    event: object
    invitation_pk: int
    membership_pk: int
    clients: dict = field(default_factory=dict)

    def kwargs(self, name: str, keywords) -> dict:
        """The keyword arguments of the URL named ``name`` (namespace:name)."""
        namespace = name.split(":", 1)[0] if ":" in name else ""
        values = {}
        for keyword in keywords:
            values[keyword] = self._value(namespace, name, keyword)
        return values

    def _value(self, namespace, name, keyword):
        programme = self.draft.phase.call.programme
        by_keyword = {
            "call": self.draft.phase.call_id,
            "section": self.section.pk,
            "attachment": self.attachment.pk,
            "number": 1,
            "country": "FI",
            "code": "01",
            "slug": programme.slug,
            "programme": programme.slug,
            "token": "hostile-token",
            "key": uuid.UUID(int=7),
            "uidb36": "1",
            "invitation_pk": self.invitation_pk,
            "invitation": self.invitation_pk,
            "membership_pk": self.membership_pk,
        }
        if keyword == "call" and name == "calls:call_detail":
            return self.draft.phase.call.slug
        if keyword == "key" and name == "account_confirm_email":
            return "hostile-key"
        if keyword == "key" and name == "account_reset_password_from_key":
            return "set-password"
        if keyword != "pk":
            return by_keyword[keyword]
        if namespace == "accounts":
            return self.draft.coordinator_id
        if namespace == "events":
            return self.event.pk
        if namespace == "workspace":
            if name.startswith("workspace:export"):
                return uuid.UUID(int=7)
            if name in (
                "workspace:phase",
                "workspace:bulk_action",
                "workspace:create_export",
                "workspace:drafts",
            ):
                return self.submitted.phase_id
            return self.submitted.pk
        if name == "applications:confirm_partner":
            return self.draft.partners.first().pk
        if name in ("applications:receipt", "applications:receipt_pdf", "applications:compare"):
            return self.submitted.pk
        return self.draft.pk

    def client_for(self, name: str) -> Client:
        if name in ANONYMOUS_VIEWS:
            role = "anonymous"
        elif name.startswith("workspace:") or name == "applications:compare":
            role = "officer"
        else:
            role = "coordinator"
        if role not in self.clients:
            client = Client()
            user = {"anonymous": None, "officer": self.officer, "coordinator": self.coordinator}
            if user[role] is not None:
                client.force_login(user[role])
            self.clients[role] = client
        return self.clients[role]


def build_world() -> World:
    phase = open_phase()
    draft = eligible_draft(phase)
    submitted = eligible_draft(phase)
    services.submit_application(submitted, by=submitted.created_by)
    officer = FunderRoleFactory(funder=phase.call.programme.funder).user
    TOTP.activate(officer, generate_totp_secret())
    version = QuestionnaireVersionFactory()
    section = SectionFactory(version=version, order=1)
    QuestionFactory(section=section, kind="short_text", max_length=50)
    QuestionFactory(section=section, kind="money")
    draft.questionnaire_version = version
    draft.save()
    coordinator = draft.created_by
    membership = coordinator.memberships.get(organisation=draft.coordinator)
    invitation = InvitationFactory(organisation=draft.coordinator)
    event = EventFactory()
    return World(
        coordinator=coordinator,
        officer=officer,
        draft=draft,
        submitted=submitted,
        attachment=AttachmentFactory(application=draft),
        section=section,
        event=event,
        invitation_pk=invitation.pk,
        membership_pk=membership.pk,
    )


def site_views() -> list[tuple[str, list[str]]]:
    """(name, URL keywords) of every named view outside Django's admin."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, list(pattern.pattern.regex.groupindex)

    views = dict(walk(get_resolver().url_patterns))
    return sorted(
        (name, keywords) for name, keywords in views.items() if not name.startswith("admin")
    )


VIEWS = site_views()


CHOICE_INPUTS = {"hidden", "radio", "checkbox", "submit"}


class FormFields(html.parser.HTMLParser):
    """The fields of a page's forms, by the view each form posts or gets to: {action path:
    {name: {values the page offers}}}."""

    def __init__(self, page_path: str):
        super().__init__()
        self.page_path = page_path
        self.action = page_path
        self.forms: dict[str, dict[str, set]] = {}

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.action = urlsplit(attributes.get("action") or self.page_path).path
        elif tag in ("input", "textarea", "select", "button") and attributes.get("name"):
            values = self.forms.setdefault(self.action, {}).setdefault(attributes["name"], set())
            # The values a page offers to choose from (ids, versions, actions); what is typed
            # into a text input is no choice.
            offered = tag == "button" or attributes.get("type") in CHOICE_INPUTS
            if attributes.get("value") and offered:
                values.add(attributes["value"])
        elif tag == "option" and attributes.get("value") is not None:
            # An option's value: the last select's name is enough for the choice lists here.
            fields = self.forms.get(self.action)
            if fields:
                list(fields.values())[-1].add(attributes["value"])


def crawl(world: World) -> dict[str, dict[str, set]]:
    """{view name: {field name: offered values}} from a GET of every view as its role."""
    by_view: dict[str, dict[str, set]] = {}
    for name, keywords in VIEWS:
        with translation.override("fi"):
            path = reverse(name, kwargs=world.kwargs(name, keywords))
        response = world.client_for(name).get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = FormFields(path)
        parser.feed(response.content.decode())
        for action, fields in parser.forms.items():
            try:
                match = resolve(action)
            except Resolver404:
                continue
            target = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
            for field_name, values in fields.items():
                by_view.setdefault(target, {}).setdefault(field_name, set()).update(values)
    return by_view


@pytest.fixture(scope="module")
def form_fields(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        fields = crawl(build_world())
        transaction.set_rollback(True)
    return fields


@pytest.fixture
def world(db, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return build_world()


def test_every_view_is_reached(world):
    """Each view's address is built from the world, so none is left out of the test below."""
    statuses = {}
    for name, keywords in VIEWS:
        with translation.override("fi"):
            path = reverse(name, kwargs=world.kwargs(name, keywords))
        statuses[name] = world.client_for(name).get(path).status_code
    assert {name: status for name, status in statuses.items() if status >= 500} == {}


# Swept through every field of every view (and every action a page offers): the values
# that broke views before (issue 11: a 30-digit version, an id of 10^20, "abc" for an id).
SWEEP = ["9" * 30, str(10**20), "-1", "abc", "", "1e999", "a\x00\u202eb"]


def sweep(fields: dict[str, set]):
    """(method, data) requests: each SWEEP value in every field, once per action offered."""
    actions = sorted(value for value in fields.get("action", ()) if value) or [None]
    for value in SWEEP:
        data = dict.fromkeys(fields, value)
        yield "get", data
        for action in actions:
            yield "post", data if action is None else {**data, "action": action}
    # Ids, versions and choices (the fields a page fills in) one at a time, the others as the
    # page offers them, so that the view gets past its form to where it uses the number.
    baseline = {
        name: min((value for value in offered if value), default="1")
        for name, offered in fields.items()
    }
    for name, offered in fields.items():
        if offered and name != "action":
            for value in ("9" * 30, str(10**20), "abc", "-1"):
                yield "post", {**baseline, name: value}
    # A megabyte of text in two free fields (more would pass the upload limit, and the view
    # would never read them).
    free = sorted(name for name, offered in fields.items() if not offered)[:2]
    yield "post", {**baseline, **dict.fromkeys(free, MEGABYTE)}


@pytest.mark.parametrize(("name", "keywords"), VIEWS, ids=[name for name, _ in VIEWS])
def test_hostile_input_never_makes_a_server_error(name, keywords, form_fields, world):
    fields = {**EXTRA_FIELDS, **form_fields.get(name, {})}
    fields.pop("csrfmiddlewaretoken", None)
    with translation.override("fi"):
        path = reverse(name, kwargs=world.kwargs(name, keywords))
    client = world.client_for(name)

    def send(method, data, hx=False):
        headers = {"HTTP_HX_REQUEST": "true"} if hx else {}
        if method == "get":
            data = {key: value for key, value in data.items() if len(value) < 2000}
        response = getattr(client, method)(path, data, **headers)
        shown = {key: value[:40] for key, value in data.items()}
        assert response.status_code < 500, (name, method, shown)

    for method, data in sweep(fields):
        send(method, data)

    strategies = {
        field_name: st.one_of(st.sampled_from(sorted(values)), HOSTILE) if values else HOSTILE
        for field_name, values in fields.items()
    }

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.fixed_dictionaries(strategies), hx=st.booleans())
    def post_and_get(data, hx):
        send("post", data, hx)
        send("get", data, hx)

    post_and_get()


# --- The server errors issue 11 reported ----------------------------------------------------


def test_a_version_of_thirty_digits_is_a_bad_request(world):
    client = world.client_for("applications:basics")
    with translation.override("fi"):
        path = reverse("applications:basics", kwargs={"pk": world.draft.pk})

    for version in ("9" * 30, "-1", "abc", "1e3", "١"):
        assert client.post(path, {"title": "Uusi", "version": version}).status_code == 400
    title = world.draft.title
    world.draft.refresh_from_db()
    assert world.draft.title == title
    # Missing, it is the first version (a form without one, as before).
    assert client.post(path, {"title": "Uusi"}).status_code == 302


def test_a_bulk_action_on_an_id_no_column_holds_is_a_bad_request(world):
    client = world.client_for("workspace:bulk_action")
    with translation.override("fi"):
        path = reverse("workspace:bulk_action", kwargs={"pk": world.submitted.phase_id})

    for application_id in (str(10**20), "-1", "abc"):
        response = client.post(path, {"action": "mark_eligible", "applications": application_id})
        assert response.status_code == 400
    world.submitted.refresh_from_db()
    assert world.submitted.screening == "unscreened"


def test_removing_an_attachment_named_abc_is_not_found(world):
    client = world.client_for("applications:attachments")
    with translation.override("fi"):
        path = reverse("applications:attachments", kwargs={"pk": world.draft.pk})

    for attachment in ("abc", str(10**20), "-1", ""):
        response = client.post(path, {"action": "remove", "attachment": attachment})
        assert response.status_code == 404
    assert world.draft.attachments.count() == 1


def test_a_posted_row_count_does_not_build_thousands_of_rows(world):
    client = world.client_for("applications:budget")
    with translation.override("fi"):
        path = reverse("applications:budget", kwargs={"pk": world.draft.pk})

    response = client.post(
        path,
        {
            "version": "0",
            "income-TOTAL_FORMS": str(10**20),
            "income-INITIAL_FORMS": "0",
            "income-MAX_NUM_FORMS": "1000",
        },
    )

    assert response.status_code == 200
    assert len(response.context["form"].income.forms) == 51
    assert response.context["form"].income.non_form_errors() == ["Lähetä enintään 50 lomaketta."]
