# ruff: noqa: E501  (sentences are kept whole, one per line)
"""Sentences that explain a tally or a balance check, in French, English and Arabic.

A small message table rather than gettext: the minutes quote these sentences verbatim, so
they must not change with the reader's locale or a translation catalogue.
"""

from __future__ import annotations

from fractions import Fraction

from sharaka.governance.rules.values import Base, CollegesRequired, Method, check_lang

MESSAGES: dict[str, dict[str, str]] = {
    "fallback": {
        "fr": "Tour {round} : la règle de repli s'applique à partir du tour {from_round} ({method}).",
        "en": "Round {round}: the fallback rule applies from round {from_round} ({method}).",
        "ar": "الدورة {round}: تطبق القاعدة البديلة ابتداء من الدورة {from_round} ({method}).",
    },
    "recused": {
        "fr": "Ne prennent pas part au vote (conflit d'intérêts) : {ids}.",
        "en": "Recused (conflict of interest), not taking part: {ids}.",
        "ar": "لا يشارك في التصويت (تضارب المصالح): {ids}.",
    },
    "proxies": {
        "fr": "Pouvoirs : {pairs}.",
        "en": "Proxies: {pairs}.",
        "ar": "التوكيلات: {pairs}.",
    },
    "proxy_pair": {
        "fr": "{member} représenté par {holder}",
        "en": "{member} represented by {holder}",
        "ar": "{member} ينوب عنه {holder}",
    },
    "quorum_met": {
        "fr": "{present} membres présents ou représentés sur {electorate}, quorum de {required} atteint.",
        "en": "{present} of {electorate} members present or represented, quorum {required} met.",
        "ar": "{present} من أصل {electorate} عضوا حاضرون أو ممثلون، النصاب {required} مكتمل.",
    },
    "quorum_not_met": {
        "fr": "{present} membres présents ou représentés sur {electorate}, quorum de {required} non atteint.",
        "en": "{present} of {electorate} members present or represented, quorum {required} not met.",
        "ar": "{present} من أصل {electorate} عضوا حاضرون أو ممثلون، النصاب {required} غير مكتمل.",
    },
    "college_quorum_met": {
        "fr": "Collège {college} : {present} présents sur {electorate}, quorum de {required} atteint.",
        "en": "College {college}: {present} of {electorate} present, quorum {required} met.",
        "ar": "هيئة {college}: {present} من أصل {electorate} حاضرون، النصاب {required} مكتمل.",
    },
    "college_quorum_not_met": {
        "fr": "Collège {college} : {present} présents sur {electorate}, quorum de {required} non atteint.",
        "en": "College {college}: {present} of {electorate} present, quorum {required} not met.",
        "ar": "هيئة {college}: {present} من أصل {electorate} حاضرون، النصاب {required} غير مكتمل.",
    },
    "no_electorate": {
        "fr": "Aucun membre ne peut prendre part au vote.",
        "en": "No member can take part in the vote.",
        "ar": "لا يوجد عضو يحق له التصويت.",
    },
    "quorum_failed": {
        "fr": "Faute de quorum, la délibération ne peut être adoptée et les voix ne sont pas décomptées.",
        "en": "Without a quorum the motion cannot be adopted and the votes are not counted.",
        "ar": "لعدم اكتمال النصاب لا يمكن اعتماد المقرر ولا تحتسب الأصوات.",
    },
    "counts": {
        "fr": "Votes : {yes} pour, {no} contre, {abstain} abstentions, {not_voting} sans vote exprimé.",
        "en": "Votes: {yes} yes, {no} no, {abstain} abstentions, {not_voting} not voting.",
        "ar": "الأصوات: {yes} نعم، {no} لا، {abstain} امتناع، {not_voting} لم يصوتوا.",
    },
    "rule_simple": {
        "fr": "Majorité simple : il faut plus de voix pour que contre ({yes} pour, {no} contre).",
        "en": "Simple majority: more yes than no votes are needed ({yes} yes, {no} no).",
        "ar": "الأغلبية البسيطة: يلزم أن تفوق أصوات نعم أصوات لا ({yes} نعم، {no} لا).",
    },
    "rule_absolute": {
        "fr": "Majorité absolue des {base} ({base_count}) : {needed} voix pour requises, {yes} obtenues.",
        "en": "Absolute majority of the {base} ({base_count}): {needed} yes votes needed, {yes} obtained.",
        "ar": "الأغلبية المطلقة من {base} ({base_count}): يلزم {needed} صوتا بنعم، وتم الحصول على {yes}.",
    },
    "rule_qualified": {
        "fr": "Majorité qualifiée de {threshold} des {base} ({base_count}) : {needed} voix pour requises, {yes} obtenues.",
        "en": "Qualified majority of {threshold} of the {base} ({base_count}): {needed} yes votes needed, {yes} obtained.",
        "ar": "الأغلبية الموصوفة {threshold} من {base} ({base_count}): يلزم {needed} صوتا بنعم، وتم الحصول على {yes}.",
    },
    "rule_consensus": {
        "fr": "Consensus : adopté si personne ne s'y oppose et qu'au moins un membre vote pour ({no} opposition(s), {yes} pour).",
        "en": "Consensus: adopted if nobody objects and at least one member votes yes ({no} objection(s), {yes} yes).",
        "ar": "التوافق: يعتمد إذا لم يعترض أحد وصوت عضو واحد على الأقل بنعم ({no} اعتراض، {yes} نعم).",
    },
    "rule_unanimity": {
        "fr": "Unanimité : chaque membre présent ou représenté doit voter pour ({yes} pour sur {present}).",
        "en": "Unanimity: every member present or represented must vote yes ({yes} yes of {present}).",
        "ar": "الإجماع: يجب أن يصوت كل عضو حاضر أو ممثل بنعم ({yes} نعم من أصل {present}).",
    },
    "tie_chair_yes": {
        "fr": "Partage des voix ({yes} pour, {no} contre) : la voix du président, pour, est prépondérante.",
        "en": "Tie ({yes} yes, {no} no): the chair's vote, yes, decides.",
        "ar": "تعادل الأصوات ({yes} نعم، {no} لا): صوت الرئيس، نعم، هو المرجح.",
    },
    "tie_chair_no": {
        "fr": "Partage des voix ({yes} pour, {no} contre) : la voix du président, contre, est prépondérante.",
        "en": "Tie ({yes} yes, {no} no): the chair's vote, no, decides.",
        "ar": "تعادل الأصوات ({yes} نعم، {no} لا): صوت الرئيس، لا، هو المرجح.",
    },
    "tie_unbroken": {
        "fr": "Partage des voix ({yes} pour, {no} contre) : il n'y a pas de majorité.",
        "en": "Tie ({yes} yes, {no} no): there is no majority.",
        "ar": "تعادل الأصوات ({yes} نعم، {no} لا): لا توجد أغلبية.",
    },
    "college_passed": {
        "fr": "Collège {college} : {yes} pour, {no} contre, {abstain} abstentions ; majorité atteinte.",
        "en": "College {college}: {yes} yes, {no} no, {abstain} abstentions; majority reached.",
        "ar": "هيئة {college}: {yes} نعم، {no} لا، {abstain} امتناع؛ الأغلبية محققة.",
    },
    "college_failed": {
        "fr": "Collège {college} : {yes} pour, {no} contre, {abstain} abstentions ; majorité non atteinte.",
        "en": "College {college}: {yes} yes, {no} no, {abstain} abstentions; majority not reached.",
        "ar": "هيئة {college}: {yes} نعم، {no} لا، {abstain} امتناع؛ الأغلبية غير محققة.",
    },
    "colleges_summary": {
        "fr": "Double majorité : {passed} collège(s) sur {tallied} l'approuvent ; requis : {required}.",
        "en": "Double majority: {passed} of {tallied} colleges approve; required: {required}.",
        "ar": "الأغلبية المزدوجة: {passed} من أصل {tallied} هيئات توافق؛ المطلوب: {required}.",
    },
    "adopted": {
        "fr": "La délibération est adoptée.",
        "en": "The motion is adopted.",
        "ar": "تم اعتماد المقرر.",
    },
    "not_adopted": {
        "fr": "La délibération n'est pas adoptée.",
        "en": "The motion is not adopted.",
        "ar": "لم يتم اعتماد المقرر.",
    },
    # ------------------------------------------------------------------ balance
    "organization_majority_absolute": {
        "fr": "{org} détient {seats} sièges sur {total} : elle peut adopter seule toute décision à la majorité absolue.",
        "en": "{org} holds {seats} of {total} seats: it can adopt any decision by absolute majority on its own.",
        "ar": "{org} تملك {seats} مقعدا من أصل {total}: يمكنها وحدها اعتماد أي قرار بالأغلبية المطلقة.",
    },
    "organization_majority": {
        "fr": "{org} détient {seats} sièges sur {total} ({percent} %), au-delà du maximum de {maximum} des sièges.",
        "en": "{org} holds {seats} of {total} seats ({percent}%), more than the maximum of {maximum} of the seats.",
        "ar": "{org} تملك {seats} مقعدا من أصل {total} ({percent}%)، أي أكثر من الحد الأقصى {maximum} من المقاعد.",
    },
    "women_share_below_target": {
        "fr": "Les femmes occupent {women} des {total} sièges avec voix délibérative ({percent} %), en dessous de l'objectif de {target}.",
        "en": "Women hold {women} of the {total} voting seats ({percent}%), below the target of {target}.",
        "ar": "تشغل النساء {women} من أصل {total} مقعدا بصوت تداولي ({percent}%)، وهو أقل من الهدف {target}.",
    },
    "college_missing": {
        "fr": "Le collège {college} n'a aucun membre avec voix délibérative au conseil.",
        "en": "The {college} college has no voting member on the board.",
        "ar": "هيئة {college} ليس لها أي عضو بصوت تداولي في المجلس.",
    },
    "too_many_non_voting": {
        "fr": "Membres siégeant sans voix délibérative : {count}, au-delà du maximum de {maximum}.",
        "en": "Members sitting without a vote: {count}, more than the maximum of {maximum}.",
        "ar": "عدد الأعضاء دون صوت تداولي: {count}، أي أكثر من الحد الأقصى {maximum}.",
    },
    "dictator": {
        "fr": "{org} peut adopter seule toute décision selon la règle du conseil ({method}).",
        "en": "{org} can adopt any decision on its own under the board's rule ({method}).",
        "ar": "{org} يمكنها وحدها اعتماد أي قرار وفق قاعدة المجلس ({method}).",
    },
    "veto": {
        "fr": "{org} peut bloquer seule toute décision selon la règle du conseil ({method}).",
        "en": "{org} can block any decision on its own under the board's rule ({method}).",
        "ar": "{org} يمكنها وحدها منع أي قرار وفق قاعدة المجلس ({method}).",
    },
}

METHOD_NAMES: dict[Method, dict[str, str]] = {
    Method.SIMPLE: {"fr": "majorité simple", "en": "simple majority", "ar": "الأغلبية البسيطة"},
    Method.ABSOLUTE: {
        "fr": "majorité absolue",
        "en": "absolute majority",
        "ar": "الأغلبية المطلقة",
    },
    Method.QUALIFIED: {
        "fr": "majorité qualifiée",
        "en": "qualified majority",
        "ar": "الأغلبية الموصوفة",
    },
    Method.CONSENSUS: {"fr": "consensus", "en": "consensus", "ar": "التوافق"},
    Method.UNANIMITY: {"fr": "unanimité", "en": "unanimity", "ar": "الإجماع"},
}

BASE_NAMES: dict[Base, dict[str, str]] = {
    Base.YES_NO: {"fr": "voix pour et contre", "en": "yes and no votes", "ar": "أصوات نعم ولا"},
    Base.CAST: {"fr": "suffrages exprimés", "en": "votes cast", "ar": "الأصوات المعبر عنها"},
    Base.PRESENT: {
        "fr": "membres présents ou représentés",
        "en": "members present or represented",
        "ar": "الأعضاء الحاضرين أو الممثلين",
    },
    Base.MEMBERS: {
        "fr": "membres appelés à voter",
        "en": "members entitled to vote",
        "ar": "الأعضاء الذين يحق لهم التصويت",
    },
}

REQUIRED_NAMES: dict[CollegesRequired, dict[str, str]] = {
    CollegesRequired.ALL: {"fr": "tous", "en": "all of them", "ar": "جميعها"},
    CollegesRequired.MAJORITY: {
        "fr": "plus de la moitié",
        "en": "more than half",
        "ar": "أكثر من النصف",
    },
}

AT_LEAST = {"fr": "au moins {n}", "en": "at least {n}", "ar": "على الأقل {n}"}
LIST_SEPARATOR = {"fr": ", ", "en": ", ", "ar": "، "}


def say(key: str, lang: str, **values: object) -> str:
    """The sentence ``key`` in ``lang``, with ``values`` filled in."""
    return MESSAGES[key][check_lang(lang)].format(**values)


def method_name(method: Method, lang: str) -> str:
    return METHOD_NAMES[method][check_lang(lang)]


def base_name(base: Base, lang: str) -> str:
    return BASE_NAMES[base][check_lang(lang)]


def required_name(required: CollegesRequired | int, lang: str) -> str:
    if isinstance(required, CollegesRequired):
        return REQUIRED_NAMES[required][check_lang(lang)]
    return AT_LEAST[check_lang(lang)].format(n=required)


def join(items: list[str], lang: str) -> str:
    return LIST_SEPARATOR[check_lang(lang)].join(items)


def percent(value: Fraction) -> str:
    """A share as a percentage with at most one decimal (``33.3``)."""
    rounded = round(value * 100, 1)
    text = f"{float(rounded):.1f}"
    return text[:-2] if text.endswith(".0") else text
