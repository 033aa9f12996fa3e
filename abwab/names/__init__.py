"""Match people's names written in Arabic script and in Latin (Moroccan/French) transliteration.

Pure Python plus rapidfuzz, with no Django, so the membership desk and the batch dedup share it.
Every function takes any text (empty, mixed scripts, junk) without raising.

Normalisation gives comparison forms; store what the person typed, not these.

* ``normalize_arabic`` drops harakat, tanwin, shadda, sukun, superscript alef, Quranic marks,
  tatweel and invisible controls; folds presentation forms (NFKC), Persian/Urdu look-alikes
  (ی ک گ ڭ ڤ پ چ ژ ھ ە ۃ) and Arabic-Indic digits; unifies أ إ آ ٱ → ا, ؤ → و, ئ → ي,
  ى → ي, ة → ه and drops a standalone ء (أسماء = أسما); collapses whitespace. Compounds are
  glued into one word: عبد/ابو/بو/ابن/بن/ايت/ولد + the next word (ابن becomes بن, so
  "ابن كيران" = "بنكيران"), and الدين/الله onto the previous one ("نور الدين" = "نورالدين").
  The article ال is kept; keys and scores ignore it.
* ``normalize_latin`` lowercases, strips accents, joins apostrophes (M'hamed = Mhamed) and
  splits on other punctuation. It drops a standalone article (el, al, l, and es/ech/en/ed/...
  before their own consonant: "El Alaoui" = "Al-Alaoui" = "Alaoui", "Es-Saidi" = "Saidi"), and
  a glued one before a/ou ("Elalaoui") or a doubled sun letter ("Ezzahra", but not "Essam").
  It glues ben/bin/ibn (as "ben"), ait, ould, abou/abu, bou and abd/abdel/abdul to the next
  word ("Abd El Aziz" = "Abdul Aziz" = "Abdelaziz"; "Abderrahmane" becomes "abdelrahmane"),
  eddine/allah-like halves to the previous word, and expands Med/Mhd/Mohd/Md to mohamed.

Keys (``name_key``, ``token_keys``, ``full_name_keys``) map both scripts onto one consonant
skeleton over the classes b t d s z c(sh) j k x(kh) g(gh) h f l m n r w y. Latin digraphs are
read first (ch/sh → c, kh → x, gh → g, dj/g → j, ph/v → f, th → t, dh → d, q/ck/c → k, soft
c → s); in Arabic ث ت ط → t, د ذ ض ظ → d, س ص → s, ق ك → k, ح ه → h, and ع, ء and non-initial
ا و ي are vowels. Adjacent repeats collapse (Mohammed = Mohamed), then vowels vanish, and so
do a leading vowel (Ismail = Smail, Essaidi = Saidi), an h after t/d (Othman, Fathi), the
article (not إل: إلياس = Ilyas) and a leading l before 2+ consonants (Lamrani = العمراني).
One trailing "a" records a vowel ending (final ا ى ي و ع ة ه ح, or a Latin vowel, -ah, -eh;
a French silent -e does not count), which keeps Amine and Amina apart; اة ends in t (Najat).
So محمد, Mohamed, Muhammad and Mhamed all give "mhmd"; فاطمة/Fatma/Fatimah give "ftma".
Keys are deliberately coarse (محمد = محمود): they are blocking keys, ``similarity`` decides.
``full_name_keys(first, last).unordered`` is unchanged when first and last are swapped.

``similarity`` mixes key distance (weight 0.6) with the vowels of the Latin forms (Arabic is
transliterated by ``transliterate_arabic``) and, for two Arabic names, the Arabic forms.
``rank_candidates`` scores a query against strings or ``(id, name)`` pairs.
Keys and profiles are cached per distinct string (LRU), which keeps a million-row pass cheap.
"""

from .arabic import has_arabic, normalize_arabic
from .keys import NameKeys, full_name_keys, name_key, token_keys
from .latin import normalize_latin
from .similarity import rank_candidates, similarity
from .translit import transliterate_arabic

__all__ = [
    "NameKeys",
    "full_name_keys",
    "has_arabic",
    "name_key",
    "normalize_arabic",
    "normalize_latin",
    "rank_candidates",
    "similarity",
    "token_keys",
    "transliterate_arabic",
]
