"""Address lists as people write them (assessment.address_lists): nobody pasted is dropped
without a word, every piece that is not an address is named with its reason, and addresses
that reach one mailbox get one invitation (the HR-aliases attack: with four links of its own
HR recovered a colleague's exact scores)."""

from __future__ import annotations

import pytest

from assessment import address_lists, mailing
from assessment.errors import InputError
from assessment.rounds import get_round
from tests.context import on
from tests.test_mailing import hr, rows  # noqa: F401 - the fixture and the row counter


def read(text: str, already=frozenset()):
    return address_lists.read(mailing.pasted_rows(text), already)


def sent_to(found) -> list[str]:
    return [r.address for r in found.recipients]


def test_outlook_s_line_keeps_both_people():
    """The reader took only the ``<…>`` of a line: Carla was dropped, the page said 2."""
    found = read("Bart Janssens <bart@x.be>; carla@x.be")
    assert sent_to(found) == ["bart@x.be", "carla@x.be"]  # 2 addresses
    assert [r.name for r in found.recipients] == ["Bart Janssens", ""]
    assert found.problems == () and found.shared == ()
    assert mailing.check_addresses(mailing.pasted_rows("Bart Janssens <bart@x.be>; carla@x.be")
                                   ) == [(1, "bart@x.be"), (1, "carla@x.be")]


def test_outlook_s_last_comma_first_names_and_quoted_names_with_commas():
    found = read('Janssens, Bart <bart@x.be>; Peeters, Carla <carla@x.be>\n'
                 '"Maes, Dirk" <dirk@x.be>, \'Claes, Eva\' <eva@x.be>, fien@x.be')
    assert sent_to(found) == ["bart@x.be", "carla@x.be", "dirk@x.be", "eva@x.be",
                              "fien@x.be"]  # 5 addresses
    assert [r.name for r in found.recipients] == ["Janssens, Bart", "Peeters, Carla",
                                                   "Maes, Dirk", "Claes, Eva", ""]
    assert [r.row for r in found.recipients] == [1, 1, 2, 2, 2]
    assert found.problems == ()


def test_a_list_mixing_separators_names_and_blank_lines():
    text = ("a@x.be, b@x.be;c@x.be\n\n   \n  d@x.be e@X.BE\t f@x.be\n"
            'Jan Peeters <g@x.be>; "Wouters, Els" <h@x.be>, i@x.be\n'
            "Jan <j@x.be> Els <k@x.be>;\n;;,\nmailto:l@x.be")
    found = read(text)
    assert sent_to(found) == [f"{c}@x.be" for c in "abcdefghijkl"]  # 12 addresses
    assert len(found.recipients) == 12
    assert [r.row for r in found.recipients] == [1, 1, 1, 4, 4, 4, 5, 5, 5, 6, 6, 8]
    assert found.recipients[4].shown == "e@x.be"  # the domain in lower case
    assert found.problems == () and found.shared == ()


def test_every_piece_that_is_not_an_address_is_named_with_its_reason():
    text = ("ok@x.be, bob(at)acme.be\n"
            "Janssens\n"
            "jan@, @x.be, a@b@x.be\n"
            "jan@x, jan@acme.test, jan@x_y.be\n"
            "a..b@x.be, Bart <bart @x.be>\n"
            "Bart <bart@x.be")
    found = read(text)
    assert sent_to(found) == ["ok@x.be"]  # 1 address, 12 problems
    assert [p.message("nl") for p in found.problems] == [
        "rij 1: 'bob(at)acme.be' is geen e-mailadres: er staat geen @ in.",
        "rij 2: 'Janssens' is een naam zonder e-mailadres. Staat er een komma in een naam, "
        'zet de naam dan tussen aanhalingstekens: "Janssens, Bart" <bart@voorbeeld.be>.',
        "rij 3: 'jan@' is geen e-mailadres: er staat niets na de @.",
        "rij 3: '@x.be' is geen e-mailadres: er staat niets vóór de @.",
        "rij 3: 'a@b@x.be' is geen e-mailadres: er staat meer dan één @ in.",
        "rij 4: 'jan@x' is geen e-mailadres: 'x' na de @ is geen bruikbare domeinnaam (er "
        "ontbreekt een punt, er staat een teken in dat niet mag, of de naam is gereserveerd).",
        "rij 4: 'jan@acme.test' is geen e-mailadres: 'acme.test' na de @ is geen bruikbare "
        "domeinnaam (er ontbreekt een punt, er staat een teken in dat niet mag, of de naam is "
        "gereserveerd).",
        "rij 4: 'jan@x_y.be' is geen e-mailadres: 'x_y.be' na de @ is geen bruikbare "
        "domeinnaam (er ontbreekt een punt, er staat een teken in dat niet mag, of de naam is "
        "gereserveerd).",
        "rij 5: 'a..b@x.be' is geen e-mailadres: 'a..b' vóór de @ bevat een teken dat niet "
        "mag, of een punt aan het begin, aan het einde of twee na elkaar.",
        "rij 5: 'bart @x.be' is geen e-mailadres: 'bart ' vóór de @ bevat een teken dat niet "
        "mag, of een punt aan het begin, aan het einde of twee na elkaar.",
        "rij 6: 'Bart' is een naam zonder e-mailadres. Staat er een komma in een naam, zet de "
        'naam dan tussen aanhalingstekens: "Janssens, Bart" <bart@voorbeeld.be>.',
        "rij 6: '<bart@x.be' is geen e-mailadres: '<bart' vóór de @ bevat een teken dat niet "
        "mag, of een punt aan het begin, aan het einde of twee na elkaar."]
    assert found.problems[0].message("en") == \
        "row 1: 'bob(at)acme.be' is not an e-mail address: it has no @."
    assert found.problems[0].message("fr") == \
        "ligne 1 : « bob(at)acme.be » n'est pas une adresse e-mail : il n'y a pas de @."
    with pytest.raises(InputError) as refused:  # and the list is refused whole
        mailing.check_addresses(mailing.pasted_rows(text))
    assert len(refused.value.problems) == 12


def test_nothing_written_is_dropped_silently():
    """Whatever the line, each non-blank piece is an address (with the names beside it) or a
    problem: the words of the input all reappear."""
    text = ('x@y.be; "Unclosed, Bart <bart@x.be>; z@x.be\nA@B.be,,Piet, Jan <p@x.be> q@r.be')
    found = read(text)
    kept = " ".join(f"{r.name} {r.shown}" for r in found.recipients)
    named = " ".join(p.params.get("text", "") for p in found.problems)
    for word in ("x@y.be", "Unclosed", "bart@x.be", "z@x.be", "A@b.be", "Piet", "Jan",
                 "p@x.be", "q@r.be"):
        assert word in kept or word in named, word


def test_the_four_hr_aliases_are_one_recipient_and_a_warning():
    """HR put hr+1@, hr+2@, HR@ and hr@ on the list and answered four links itself."""
    found = read("hr+1@x.be, hr+2@x.be\nHR@x.be\nhr@x.be")
    assert sent_to(found) == ["hr+1@x.be"]  # 4 addresses written, 1 recipient
    assert found.problems == ()
    (warning,) = found.shared
    assert warning.message("nl") == (
        "Zelfde mailbox als hr+1@x.be (rij 1): hr+2@x.be (rij 1), HR@x.be (rij 2), "
        "hr@x.be (rij 3). Alleen hr+1@x.be krijgt een uitnodiging.")
    assert warning.message("en").startswith("Same mailbox as hr+1@x.be (row 1): hr+2@x.be")
    assert warning.message("fr").startswith("Même boîte aux lettres que hr+1@x.be (ligne 1)")
    assert mailing.check_addresses(mailing.pasted_rows("hr+1@x.be, hr+2@x.be\nHR@x.be\n"
                                                       "hr@x.be")) == [(1, "hr+1@x.be")]


def test_gmail_dots_and_googlemail_are_one_mailbox_elsewhere_dots_count():
    found = read("jan.peeters@gmail.com, JanPeeters@googlemail.com, j.a.n.peeters+hr@gmail.com"
                 "\njan.peeters@x.be, janpeeters@x.be")
    assert sent_to(found) == ["jan.peeters@gmail.com", "jan.peeters@x.be",
                              "janpeeters@x.be"]  # 5 written, 3 recipients
    assert len(found.shared) == 1 and len(found.shared[0].params["others"]) == 2


def test_internationalised_addresses_are_accepted_and_sent_with_an_ascii_domain():
    found = read("José <josé@café.be>, jan@CAFÉ.be")
    assert [(r.shown, r.address) for r in found.recipients] == [
        ("josé@café.be", "josé@xn--caf-dma.be"), ("jan@café.be", "jan@xn--caf-dma.be")]
    assert address_lists.mailbox("Jan@xn--caf-dma.be") == address_lists.mailbox(
        found.recipients[1].address)


def test_a_mailbox_already_invited_in_the_round_is_refused_even_as_an_alias(
        db, hr, round_id):  # noqa: F811 - the fixture imported above
    subject, body = mailing.default_texts("nl", "Acme")
    mailing.queue_invitations(on(db), hr, round_id, [(1, "hr@acme.be")], subject, body, "nl",
                              "http://werkbaar.test", [])
    found = mailing.read_list(on(db), round_id, mailing.pasted_rows("HR+2@acme.be, an@acme.be"))
    assert sent_to(found) == ["an@acme.be"]
    assert [p.message("nl") for p in found.problems] == [
        "rij 1: HR+2@acme.be: deze mailbox kreeg in deze bevraging al een uitnodiging per "
        "e-mail."]
    with pytest.raises(InputError):
        mailing.queue_invitations(on(db), hr, round_id, [(1, "Hr+2@Acme.be, an@acme.be")],
                                  subject, body, "nl", "http://werkbaar.test", [])
    assert rows(db, "mail_recipients") == 1 and get_round(on(db), round_id).invited == 1


def test_queueing_the_aliases_makes_one_link(db, hr, round_id):  # noqa: F811
    subject, body = mailing.default_texts("nl", "Acme")
    mailing.queue_invitations(on(db), hr, round_id,
                              mailing.pasted_rows("hr+1@acme.be, hr+2@acme.be\nHR@acme.be\n"
                                                  "hr@acme.be; an@acme.be"),
                              subject, body, "nl", "http://werkbaar.test", [])
    assert rows(db, "mail_recipients") == 2 and get_round(on(db), round_id).invited == 2
