"""Criteria pages (issue 13): adopting an own set, adding, changing and removing a criterion
(services with their refusals: a refusal changes nothing, the default set is never changed
here), access per role and route, fixed query counts at two sizes, translations."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sharaka.core.errors import DomainError, NotFound
from sharaka.partners import criteria, selectors, services
from sharaka.partners.criteria import CriterionData
from sharaka.partners.error_codes import PartnersErrorCode as Code
from sharaka.partners.models import CriteriaSet, Criterion, CriterionKind
from tests.conftest import ROLES, sign_in
from tests.partners.conftest import PartnersWorld, pdf

pytestmark = pytest.mark.django_db

ALLOWED = {"admin", "officer"}
NEW = CriterionData(
    code="local_roots_2", label_fr="Ancrage dans le douar", label_ar="التجذر في الدوار",
    label_en="Roots in the douar", kind=CriterionKind.SCORED, weight=3, max_score=5,
    reference="Pratique communale",
)  # fmt: skip


def _client(pw: PartnersWorld, role: str | None) -> Client:
    client = Client()
    if role == "member":
        sign_in(client, pw.member)
    elif role is not None:
        sign_in(client, pw.w.user(role))
    return client


def _default() -> CriteriaSet:
    return CriteriaSet.objects.get(authority__isnull=True)


def _adopt(pw: PartnersWorld) -> CriteriaSet:
    return criteria.criteria_set_adopt(by=pw.w.officer, authority=pw.authority)


# --- Services ------------------------------------------------------------------------------


def test_adopt_copies_the_default_set_once(pw: PartnersWorld) -> None:
    default_codes = list(
        _default().criteria.order_by("position", "pk").values_list("code", flat=True)
    )
    own = _adopt(pw)
    assert own.authority_id == pw.authority.pk
    assert (
        list(own.criteria.order_by("position", "pk").values_list("code", flat=True))
        == default_codes
    )
    assert selectors.criteria_set_get(authority_id=pw.authority.pk) == own
    # The other authority still inherits the default set, unchanged.
    assert selectors.criteria_set_get(authority_id=pw.other_authority.pk) == _default()
    assert _default().criteria.count() == len(default_codes)
    with pytest.raises(DomainError) as refusal:
        _adopt(pw)
    assert refusal.value.code == Code.CRITERIA_OWN_EXISTS
    assert CriteriaSet.objects.filter(authority=pw.authority).count() == 1
    assert Criterion.objects.filter(criteria_set=own).count() == len(default_codes)


def test_adopting_keeps_existing_evidence_counting(pw: PartnersWorld) -> None:
    pw.complete()
    before = selectors.file_assessment_get(file=pw.file)
    _adopt(pw)
    after = selectors.file_assessment_get(file=pw.file)
    assert (after.outcome, after.score) == (before.outcome, before.score)


def test_add_change_remove_on_own_set(pw: PartnersWorld) -> None:
    own = _adopt(pw)
    added = criteria.criterion_add(by=pw.w.officer, authority=pw.authority, data=NEW)
    assert added.criteria_set == own and added.max_score == 5
    assert added.position > own.criteria.exclude(pk=added.pk).order_by("-position")[0].position - 1
    changed = criteria.criterion_change(
        by=pw.w.officer,
        authority=pw.authority,
        criterion=added,
        data=replace(NEW, weight=0, eliminatory=True),
    )
    assert (changed.weight, changed.eliminatory) == (0, True)
    criteria.criterion_remove(by=pw.w.officer, authority=pw.authority, criterion=changed)
    assert not Criterion.objects.filter(pk=added.pk).exists()
    # The history keeps it: created, changed, removed.
    assert Criterion.history.filter(id=added.pk).count() == 3  # type: ignore[attr-defined]


def test_non_scored_keeps_max_score_one(pw: PartnersWorld) -> None:
    _adopt(pw)
    fact = criteria.criterion_add(
        by=pw.w.officer, authority=pw.authority,
        data=replace(NEW, code="fact", kind=CriterionKind.FACT, max_score=9),
    )  # fmt: skip
    assert fact.max_score == 1


def test_default_set_is_refused_with_a_clear_message(pw: PartnersWorld) -> None:
    default = _default()
    count = default.criteria.count()
    with pytest.raises(DomainError) as refusal:
        criteria.criterion_add(by=pw.w.officer, authority=pw.authority, data=NEW)
    assert refusal.value.code == Code.CRITERIA_DEFAULT and "propre jeu" in refusal.value.message
    statutes = pw.criterion("statutes")
    with pytest.raises(DomainError) as refusal:
        criteria.criterion_change(
            by=pw.w.officer, authority=pw.authority, criterion=statutes, data=NEW
        )
    assert refusal.value.code == Code.CRITERIA_DEFAULT
    with pytest.raises(DomainError) as refusal:
        criteria.criterion_remove(by=pw.w.officer, authority=pw.authority, criterion=statutes)
    assert refusal.value.code == Code.CRITERIA_DEFAULT
    statutes.refresh_from_db()
    assert statutes.code == "statutes" and default.criteria.count() == count


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"code": "receipt"}, "code", Code.CRITERION_CODE_TAKEN),
        ({"code": "pas un slug"}, "code", Code.CRITERION_CODE),
        ({"code": "é"}, "code", Code.CRITERION_CODE),
        ({"label_fr": "  "}, "label_fr", Code.CRITERION_LABEL),
        ({"weight": -1}, "weight", Code.CRITERION_RANGE),
        ({"max_score": 0}, "max_score", Code.CRITERION_RANGE),
        ({"kind": "other"}, "kind", Code.CRITERION_CHOICE),
        ({"condition": "never"}, "condition", Code.CRITERION_CHOICE),
        ({"provisional_wait_days": -5}, "provisional_wait_days", Code.CRITERION_RANGE),
    ],
)
def test_validation_names_the_field_and_writes_nothing(
    pw: PartnersWorld, change: dict[str, object], field: str, code: str
) -> None:
    own = _adopt(pw)
    count = own.criteria.count()
    with pytest.raises(DomainError) as refusal:
        criteria.criterion_add(by=pw.w.officer, authority=pw.authority,
                               data=replace(NEW, **change))  # type: ignore[arg-type]  # fmt: skip
    assert (refusal.value.field, refusal.value.code) == (field, code)
    assert own.criteria.count() == count
    receipt = own.criteria.get(code="receipt")
    statutes = own.criteria.get(code="statutes")
    with pytest.raises(DomainError) as refusal:
        criteria.criterion_change(by=pw.w.officer, authority=pw.authority, criterion=statutes,
                                  data=replace(NEW, **change))  # type: ignore[arg-type]  # fmt: skip
    assert refusal.value.field == field
    statutes.refresh_from_db()
    assert statutes.label_fr != NEW.label_fr and receipt.code == "receipt"


def test_same_code_is_kept_when_changing_a_criterion(pw: PartnersWorld) -> None:
    own = _adopt(pw)
    receipt = own.criteria.get(code="receipt")
    data = replace(NEW, code="receipt", kind="document")
    changed = criteria.criterion_change(
        by=pw.w.officer, authority=pw.authority, criterion=receipt, data=data
    )
    assert changed.code == "receipt" and changed.label_fr == NEW.label_fr


def test_removal_is_refused_when_evidence_refers_to_it(pw: PartnersWorld) -> None:
    own = _adopt(pw)
    statutes = own.criteria.get(code="statutes")
    for _n in range(2):
        services.evidence_add(by=pw.w.officer, file=pw.file, criterion=statutes,
                              document=pdf())  # fmt: skip
    with pytest.raises(DomainError) as refusal:
        criteria.criterion_remove(by=pw.w.officer, authority=pw.authority, criterion=statutes)
    assert refusal.value.code == Code.CRITERION_IN_USE and "2" in refusal.value.message
    assert Criterion.objects.filter(pk=statutes.pk).exists()


def test_other_authority_gets_not_found(pw: PartnersWorld) -> None:
    own = _adopt(pw)
    other = pw.w.user("other_officer")
    with pytest.raises(NotFound):
        criteria.criteria_set_adopt(by=other, authority=pw.authority)
    with pytest.raises(NotFound):
        criteria.criterion_add(by=other, authority=pw.authority, data=NEW)
    statutes = own.criteria.get(code="statutes")
    with pytest.raises(NotFound):
        criteria.criterion_change(by=other, authority=pw.authority, criterion=statutes, data=NEW)
    with pytest.raises(NotFound):
        criteria.criterion_remove(by=other, authority=pw.authority, criterion=statutes)
    # Through its own authority, another officer still does not reach this criterion.
    with pytest.raises(NotFound):
        criteria.criterion_change(by=other, authority=pw.other_authority, criterion=statutes,
                                  data=NEW)  # fmt: skip
    # Rights come first: an outsider learns nothing about the default set either.
    with pytest.raises(NotFound):
        criteria.criterion_remove(by=pw.w.user("outsider"), authority=pw.authority,
                                  criterion=_default().criteria.first())  # type: ignore[arg-type]  # fmt: skip
    with pytest.raises(NotFound):
        criteria.criterion_get(user=other, authority=pw.other_authority, pk=statutes.pk)
    assert own.criteria.filter(code="statutes").exists()


# --- Pages ---------------------------------------------------------------------------------


def _urls(pw: PartnersWorld, pk: int) -> list[str]:
    kwargs = {"authority": pw.authority.pk}
    return [
        reverse("partners:criteria", kwargs=kwargs),
        reverse("partners:criteria_adopt", kwargs=kwargs),
        reverse("partners:criterion_add", kwargs=kwargs),
        reverse("partners:criterion_edit", kwargs={**kwargs, "pk": pk}),
        reverse("partners:criterion_remove", kwargs={**kwargs, "pk": pk}),
    ]


def _post(criterion: CriterionData) -> dict[str, object]:
    data = {k: v for k, v in criterion.__dict__.items() if v is not None}
    if not criterion.eliminatory:
        data.pop("eliminatory")
    return data


@pytest.mark.parametrize("role", [*ROLES, "member"])
def test_each_route_per_role(pw: PartnersWorld, role: str) -> None:
    client = _client(pw, role)
    urls = _urls(pw, pw.criterion("statutes").pk)
    for url in urls:
        assert client.get(url).status_code == (200 if role in ALLOWED else 404), (url, role)
    response = client.post(urls[1])
    assert response.status_code == (302 if role in ALLOWED else 404)
    assert CriteriaSet.objects.filter(authority=pw.authority).exists() == (role in ALLOWED)
    if role in ALLOWED:
        own_statutes = pw.criterion("statutes")
        urls = _urls(pw, own_statutes.pk)
        assert client.get(urls[3]).status_code == 200
        response = client.post(urls[2], _post(NEW))
        assert response.status_code == 302, response.content
        assert pw.criterion(NEW.code).label_ar == NEW.label_ar
        assert client.post(urls[4]).status_code == 302
        assert not Criterion.objects.filter(pk=own_statutes.pk).exists()


def test_anonymous_is_sent_to_sign_in(pw: PartnersWorld) -> None:
    for url in _urls(pw, pw.criterion("statutes").pk):
        response = Client().get(url)
        assert response.status_code == 302 and "/comptes/" in response["Location"], url


def test_pages_show_the_refusals(pw: PartnersWorld) -> None:
    client = _client(pw, "officer")
    statutes = pw.criterion("statutes")
    urls = _urls(pw, statutes.pk)
    listing = client.get(urls[0]).text
    assert "jeu par défaut" in listing and "Adopter son propre jeu" in listing
    # On the default set: the form says so and the refusal is shown, nothing changes.
    response = client.post(urls[2], _post(NEW))
    assert response.status_code == 200 and "propre jeu" in response.text
    assert not Criterion.objects.filter(code=NEW.code).exists()
    client.post(urls[1])
    own = pw.criterion("statutes")
    urls = _urls(pw, own.pk)
    listing = client.get(urls[0]).text
    assert "Jeu propre" in listing and "Ajouter un critère" in listing
    response = client.post(urls[2], _post(replace(NEW, code="receipt")))
    assert response.status_code == 200 and "déjà un critère" in response.text
    services.evidence_add(by=pw.w.officer, file=pw.file, criterion=own, document=pdf())
    response = client.post(urls[4])
    assert response.status_code == 200 and "1 pièce" in response.text
    assert Criterion.objects.filter(pk=own.pk).exists()
    # The default criterion is no longer the authority's: 404.
    assert client.get(_urls(pw, statutes.pk)[3]).status_code == 404


def test_files_page_links_to_criteria(pw: PartnersWorld) -> None:
    client = _client(pw, "officer")
    page = client.get(reverse("partners:files", kwargs={"authority": pw.authority.pk})).text
    assert reverse("partners:criteria", kwargs={"authority": pw.authority.pk}) in page


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_fixed_query_counts(pw: PartnersWorld) -> None:
    client = _client(pw, "officer")
    _adopt(pw)
    url = reverse("partners:criteria", kwargs={"authority": pw.authority.pk})
    small = _count(client, url)
    for n in range(10):
        criteria.criterion_add(by=pw.w.officer, authority=pw.authority,
                               data=replace(NEW, code=f"extra-{n}"))  # fmt: skip
    large = _count(client, url)
    assert small == large and large <= 8, (small, large)


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", "معايير القبول"), ("en", "Admissibility criteria")],
)
def test_list_is_translated(pw: PartnersWorld, language: str, expected: str) -> None:
    client = _client(pw, "officer")
    url = reverse("partners:criteria", kwargs={"authority": pw.authority.pk})
    response = client.get(url, headers={"accept-language": language})
    assert expected in response.text
