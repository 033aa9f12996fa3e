"""SMS encoding and cost: GSM-7 where it fits, UCS-2 otherwise, parts counted as operators bill."""

from hypothesis import given
from hypothesis import strategies as st

from abwab.messaging.sms.encoding import (
    GSM7,
    UCS2,
    decode,
    estimate,
    gsm_decode,
    gsm_encode,
    split,
    strip_udh,
    udh,
)
from abwab.messaging.sms.transport import out_parts

ARABIC_200 = ("اجتماع الكتابة المحلية يوم السبت على الساعة العاشرة صباحا بمقر الحزب " * 3)[:200]


def test_latin_text_fits_gsm7_160_then_153_per_part():
    assert estimate("a" * 160) == estimate("a" * 160).__class__(GSM7, 1, 160, 160, ())
    long = estimate("a" * 161)
    assert (long.encoding, long.parts, long.per_part, long.chars) == (GSM7, 2, 153, 161)
    assert estimate("a" * 306).parts == 2
    assert estimate("a" * 307).parts == 3


def test_gsm7_accents_of_french_stay_gsm7():
    found = estimate("Réunion à 18h, salle Étoile; apportez vos cartes! é è ù à ì ò Ç")
    assert (found.encoding, found.culprits) == (GSM7, ())


def test_extension_characters_count_two():
    assert estimate("€" * 80) == estimate("€" * 80).__class__(GSM7, 1, 160, 160, ())
    assert estimate("€" * 80 + "a").parts == 2
    # A split never cuts the escape from its character: 76 euros fill 152 places of a part.
    pieces = split("a" + "€" * 100, GSM7)
    assert [sum(2 if c == "€" else 1 for c in p) for p in pieces] == [153, 48]


def test_one_arabic_letter_turns_latin_into_ucs2_and_is_named():
    text = "Reunion du bureau samedi a 10h au siege du parti, merci de confirmer" + "ب"
    found = estimate(text)
    assert (found.encoding, found.parts, found.per_part, found.culprits) == (UCS2, 1, 70, ("ب",))
    assert estimate(text[:-1]).encoding == GSM7


def test_an_emoji_or_a_c_cedilla_is_a_culprit_and_an_emoji_takes_two_units():
    found = estimate("Merci 🙏 et ça va")
    assert found.encoding == UCS2
    assert found.culprits == ("🙏", "ç")
    assert found.chars == len("Merci 🙏 et ça va") + 1


def test_arabic_200_characters_is_three_ucs2_parts_of_67():
    found = estimate(ARABIC_200)
    assert len(ARABIC_200) == 200
    assert (found.encoding, found.parts, found.per_part, found.chars) == (UCS2, 3, 67, 200)
    assert [len(piece) for piece in split(ARABIC_200)] == [67, 67, 66]
    assert estimate("م" * 70).parts == 1
    assert estimate("م" * 71).parts == 2


def test_parts_carry_a_concatenation_header_and_join_back():
    parts = out_parts(ARABIC_200, encoding=UCS2, reference=0x2A)
    assert [p.header for p in parts] == [udh(0x2A, 3, seq) for seq in (1, 2, 3)]
    assert all(p.esm_class == 0x40 and p.data_coding == 0x08 for p in parts)
    assert all(len(p.short_message) <= 140 for p in parts)
    joined = ""
    for part in parts:
        payload, concat = strip_udh(part.short_message)
        assert concat == (0x2A, 3, part.seq)
        joined += decode(payload, 0x08)
    assert joined == ARABIC_200


def test_a_single_sms_has_no_header():
    (part,) = out_parts("Bonjour", encoding=GSM7, reference=1)
    assert (part.header, part.esm_class, part.data_coding) == (b"", 0x00, 0x00)
    assert part.short_message == gsm_encode("Bonjour")


GSM_TEXT = st.text(
    alphabet=st.sampled_from(
        list("@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà^{}\\[~]|€")
    ),
    max_size=400,
)


@given(GSM_TEXT)
def test_gsm7_round_trip_and_parts_fit(text):
    assert gsm_decode(gsm_encode(text)) == text
    pieces = split(text, GSM7)
    assert "".join(pieces) == text
    found = estimate(text)
    assert found.parts == len(pieces)
    if len(pieces) > 1:
        assert all(len(gsm_encode(piece)) <= 153 for piece in pieces)


@given(st.text(max_size=400))
def test_any_text_splits_and_joins_exactly(text):
    found = estimate(text)
    pieces = split(text, found.encoding)
    assert "".join(pieces) == text
    assert found.parts == max(len(pieces), 1)
    limit = 67 if len(pieces) > 1 else 70
    if found.encoding == UCS2:
        assert all(len(piece.encode("utf-16-be")) <= 2 * limit for piece in pieces)
