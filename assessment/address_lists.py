"""Address lists as people write them: read, check and reduce to one address per mailbox.

HR pastes what a mail program copied (``Bart Janssens <bart@x.be>; carla@x.be``, Outlook's
``Janssens, Bart <bart@x.be>``, ``"Janssens, Bart" <bart@x.be>``) or bare addresses separated
by commas, semicolons, spaces or line breaks, or uploads a file with one cell per row. Every
piece of it ends up either as an address or as a reported problem with its reason: nothing
written is dropped without a word (a dropped person would never hear of the survey).

- **Reading** (:func:`parts`) is our own small tokenizer: :func:`email.utils.getaddresses`
  splits only on commas (``a@x.be; b@x.be`` loses ``b``) and silently rewrites what it does not
  understand (``bob(at)acme.be`` becomes ``bob``), so it only reads the name of one
  ``Name <address>`` piece.
- **Checking** is the maintained library ``email-validator`` (offline: no DNS lookup), which
  accepts internationalised addresses (``josé@café.be``) and refuses what mail servers refuse
  (``a..b@x.be``, a domain without a dot, reserved names such as ``.test``).
- **One invitation per mailbox**: addresses that reach one mailbox (:func:`mailbox`: case,
  ``+tag`` sub-addressing, dots in a Gmail local part) are one recipient, the first written;
  the others are named in a warning. This refuses obvious aliases of one mailbox; it cannot
  know who reads an address, nor see that two domains deliver to one person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses

from email_validator import EmailNotValidError, validate_email

from .errors import Problem
from .i18n import t
from .rounds import MAX_INVITATIONS
from .text import clean_line

MAX_LENGTH = 254  # an address longer than this cannot be delivered (RFC 5321 path limit)
MAILTO = "mailto:"  # as a link copied from a web page starts
GMAIL = {"gmail.com", "googlemail.com"}  # Gmail ignores dots in the local part
_NAMED = re.compile(r'^(?P<name>(?:"[^"]*"|[^<>"])*)<(?P<address>[^<>]*)>(?P<rest>.*)$')
_NAME_LIKE = re.compile(r"^[^\W\d_]+(?:[ .'’-]+[^\W\d_]+)*\.?$")  # Van den Berghe, O'Neil
_PROBE_LOCAL, _PROBE_DOMAIN = "a", "example.be"


@dataclass(frozen=True)
class RowProblem(Problem):
    """A problem of one row of an address list; :meth:`message` puts the row number first."""

    row: int = 0

    def message(self, lang: str) -> str:
        return t("mail.at_row", lang, row=self.row, problem=t(self.key, lang, **self.params))


@dataclass(frozen=True)
class Part:
    """One piece of a list as written: a candidate address with the name written beside it."""

    row: int
    address: str
    name: str = ""


@dataclass(frozen=True)
class Recipient:
    row: int
    name: str
    address: str  # as it is sent: the domain in ASCII (IDNA), the local part as written
    shown: str  # as written, cleaned (domain in lower case, Unicode): what HR recognises
    mailbox: str  # :func:`mailbox`


@dataclass(frozen=True)
class SharedMailbox(Problem):
    """Several addresses of the list reach one mailbox: only the first gets an invitation."""

    def message(self, lang: str) -> str:
        others = ", ".join(t("mail.address_at_row", lang, address=a, row=r)
                           for r, a in self.params["others"])
        return t(self.key, lang, kept=self.params["kept"], row=self.params["row"],
                 others=others)


@dataclass(frozen=True)
class AddressList:
    """What a list holds: the recipients (one per mailbox, in the list's order), the problems
    that refuse the list (not an address, a mailbox already invited in this round, too many,
    none) and the warnings (addresses reaching a mailbox already on the list)."""

    recipients: tuple[Recipient, ...]
    problems: tuple[Problem, ...]
    shared: tuple[SharedMailbox, ...]


def _segments(line: str) -> list[tuple[str, str]]:
    """The pieces of a line between commas and semicolons outside quotes and ``<…>``, each
    with the separator before it ("" for the first)."""
    pieces, current, before = [], [], ""
    quoted = angled = False
    for char in line:
        if char == '"' and not angled:
            quoted = not quoted
        elif char == "<" and not quoted:
            angled = True
        elif char == ">" and not quoted:
            angled = False
        if char in ",;" and not quoted and not angled:
            pieces.append((before, "".join(current).strip()))
            current, before = [], char
            continue
        current.append(char)
    pieces.append((before, "".join(current).strip()))
    return pieces


def _unquoted(name: str, address: str) -> str:
    """The display name of ``name <address>`` as a mail program means it (quotes, escapes)."""
    parsed = getaddresses([f"{name} <{address}>"])
    name = parsed[0][0] if len(parsed) == 1 and parsed[0][1] == address.strip() else name
    name = clean_line(name)
    return name[1:-1].strip() if len(name) > 1 and name[0] == name[-1] == "'" else name


def _named(segment: str, row: int) -> list[Part] | None:
    """The ``Name <address>`` entries of a segment (several when written one after another),
    or None when the segment has no such entry."""
    found, rest = [], segment
    while rest:
        match = _NAMED.match(rest)
        if not match:
            if not found:
                return None
            found.extend(Part(row, token) for token in rest.split())  # reported as written
            break
        name, address = match["name"].strip(), match["address"].strip()
        if "@" in name and not name.startswith(("'", '"')):  # "a@x.be Jan <j@x.be>"
            words = name.split()
            found.extend(Part(row, w) for w in words if "@" in w
                         and w.casefold() != address.casefold())
            name = " ".join(w for w in words if "@" not in w)
        found.append(Part(row, address, _unquoted(name, address) if name else ""))
        rest = match["rest"].strip()
    return found


def parts_of_line(line: str, row: int) -> list[Part]:
    """Every piece of one line (or cell): ``Name <address>`` entries and bare pieces split on
    spaces. A lone name-like piece before a comma and a ``Name <address>`` entry (Outlook's
    ``Janssens, Bart <bart@x.be>``) is the first half of that name."""
    result: list[Part] = []
    segments = _segments(clean_line(line))
    skip = False
    for index, (_, segment) in enumerate(segments):
        if skip or not segment:
            skip = False
            continue
        named = _named(segment, row)
        if named is None:
            following = segments[index + 1] if index + 1 < len(segments) else ("", "")
            after = _named(following[1], row) if following[0] == "," else None
            if after and after[0].name and not following[1].startswith(("'", '"')) \
                    and _NAME_LIKE.match(segment.lstrip("'")):
                first = after[0]
                name = f"{segment}, {first.name}"  # 'Janssens, Bart' too, quoted so
                if name.startswith("'") and name.endswith("'"):
                    name = name[1:-1]
                result.append(Part(row, first.address, name))
                result.extend(after[1:])
                skip = True
                continue
            result.extend(Part(row, token) for token in segment.split())
        else:
            result.extend(named)
    return result


def parts(rows: list[tuple[int, str]]) -> list[Part]:
    """The pieces of a list given as (row number, line or cell); an empty cell stays, as an
    empty piece, so that it is reported (a line of separators only holds nobody)."""
    result = []
    for row, text in rows:
        found = parts_of_line(str(text or ""), row)
        result.extend(found or ([] if clean_line(text) else [Part(row, "")]))
    return result


def mailbox(address: str) -> str:
    """The mailbox an address reaches, as far as the address tells: the local part in lower
    case without a ``+tag`` (sub-addressing), for Gmail also without dots, at the domain in
    ASCII lower case (googlemail.com is gmail.com). Two addresses with one mailbox are one
    person's; two different mailboxes may still be one person's (we cannot know)."""
    local, _, domain = address.rpartition("@")
    local, domain = local.casefold(), domain.casefold()
    base = local.split("+", 1)[0]
    local = base or local
    if domain in GMAIL:
        domain, local = "gmail.com", local.replace(".", "")
    return f"{local}@{domain}"


def _reason(address: str, name: str) -> tuple[str, dict]:
    """Why ``address`` is not an e-mail address: a translation key and its parameters."""
    shown = {"text": address[:60]}
    if "@" not in address:
        if not name and _NAME_LIKE.match(address):
            return "mail.invalid.name_only", shown
        return "mail.invalid.no_at", shown
    if address.count("@") > 1:
        return "mail.invalid.several_at", shown
    local, _, domain = address.partition("@")
    if not local:
        return "mail.invalid.nothing_before", shown
    if not domain:
        return "mail.invalid.nothing_after", shown
    if len(address) > MAX_LENGTH:
        return "mail.invalid.too_long", {**shown, "max": MAX_LENGTH}
    if not _valid(f"{_PROBE_LOCAL}@{domain}"):
        return "mail.invalid.domain", {**shown, "domain": domain[:60]}
    if not _valid(f"{local}@{_PROBE_DOMAIN}"):
        return "mail.invalid.local", {**shown, "local": local[:60]}
    return "mail.invalid.other", shown


def _valid(address: str):
    """email-validator's reading of an address (offline, internationalised allowed; quoted
    local parts and IP domains refused), or None."""
    try:
        return validate_email(address, check_deliverability=False, allow_smtputf8=True)
    except EmailNotValidError:
        return None


def read(rows: list[tuple[int, str]], already: set[str] = frozenset()) -> AddressList:
    """The list given as (row number, line or cell): its recipients, problems and warnings
    (:class:`AddressList`). ``already`` holds the mailboxes (:func:`mailbox`) invited before
    in this round."""
    found = parts(rows)
    if len(found) > 2 * MAX_INVITATIONS:  # not worth checking one by one
        return AddressList((), (Problem("addresses", "mail.too_many",
                                        {"max": MAX_INVITATIONS}),), ())
    problems: list[Problem] = []
    kept: dict[str, Recipient] = {}
    others: dict[str, list[tuple[int, str]]] = {}
    for part in found:
        if not part.address:
            problems.append(RowProblem("addresses", "mail.row_empty", row=part.row))
            continue
        written = part.address[len(MAILTO):] if part.address.lower().startswith(MAILTO) \
            else part.address
        valid = _valid(written) if len(written) <= MAX_LENGTH else None
        if valid is None:
            key, params = _reason(written, part.name)
            problems.append(RowProblem("addresses", key, params, row=part.row))
            continue
        address = f"{valid.local_part}@{valid.ascii_domain}"
        box = mailbox(address)
        if box in already:
            problems.append(RowProblem("addresses", "mail.row_already",
                                       {"address": valid.normalized}, row=part.row))
        elif box in kept:
            others.setdefault(box, []).append((part.row, valid.normalized))
        else:
            kept[box] = Recipient(part.row, part.name, address, valid.normalized, box)
    if not found:
        problems.append(Problem("addresses", "mail.no_addresses"))
    elif len(kept) > MAX_INVITATIONS:
        problems.insert(0, Problem("addresses", "mail.too_many", {"max": MAX_INVITATIONS}))
    shared = tuple(SharedMailbox("addresses", "mail.same_mailbox", {
        "kept": kept[box].shown, "row": kept[box].row, "others": tuple(listed)})
        for box, listed in others.items())
    return AddressList(tuple(kept.values()), tuple(problems), shared)


def is_address(text: str) -> bool:
    """Whether ``text`` is one e-mail address and nothing else (a file's first cell)."""
    text = clean_line(text)
    return "@" in text and len(text) <= MAX_LENGTH and _valid(text) is not None
