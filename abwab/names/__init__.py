"""Match people's names written in Arabic script and in Latin (Moroccan/French) transliteration.

Pure Python plus rapidfuzz; no Django, so the membership desk and the batch dedup share it.

Normalisation (for display-independent comparison, never for storage in place of the input):

* ``normalize_arabic`` drops harakat, tanwin, shadda, sukun, superscript alef, Quranic marks,
  tatweel and invisible controls; folds presentation forms (NFKC), Persian/Urdu look-alikes
  (ی ک گ ڭ ڤ پ چ ژ ھ ە ۃ) and Arabic-Indic digits; unifies أ إ آ ٱ → ا, ؤ → و, ئ → ي,
  ى → ي, ة → ه and drops a standalone ء (أسماء = أسما); collapses whitespace. Compounds are
  glued to one word: عبد/ابو/بو/ابن/بن/ايت/ولد + the next word (ابن becomes بن, so
  "ابن كيران" = "بنكيران"), and الدين/الله to the previous one ("نور الدين" = "نورالدين").
  The article is kept; the keys and scores ignore it.
* ``normalize_latin`` lowercases, strips accents, joins apostrophes (M'hamed = Mhamed),
  splits on other punctuation, drops a standalone article (el, al, l, and the assimilated
  es/ech/en/ed/... before a matching consonant: "El Alaoui" = "Al-Alaoui" = "Alaoui",
  "Es-Saidi" = "Saidi") and a glued one before a/o ("Elalaoui"); glues ben/bin/ibn (as "ben"),
  ait, ould, abou/abu, bou and abd/abdel/abdul to the next word ("Abd El Aziz" = "Abdul Aziz"
  = "Abdelaziz"; "Abderrahmane" becomes "abdelrahmane"), and eddine/allah-like second halves to
  the previous word; expands Med/Mhd/Mohd/Md to mohamed.

Keys (``name_key``, ``token_keys``, ``full_name_keys``): both scripts map to one consonant
skeleton over the classes b t d s z c(sh) j k x(kh) g(gh) h f l m n r w y. Latin digraphs are
read first (ch/sh → c, kh → x, gh → g, dj/g → j, ph/v → f, th → t, dh → d, q/ck/c → k, soft
c → s); ث ت ط → t, د ذ ض ظ → d, س ص → s, ق ك → k, ح ه → h, and ع, ء and medial و ي ا are
vowels. Runs of one class collapse (Mohammed = Mohamed), vowels vanish, so does a leading
vowel (Ismail = Smail, Essaidi = Saidi), an h after t/d, and a leading l in keys of 3+
consonants (Lamrani = العمراني). One trailing "a" records a vowel ending (ة, ى, ا, ي, ع, or
-a/-ah/-i/-ou in Latin; a French silent -e does not count), which keeps Amine and Amina
apart. So محمد, Mohamed, Muhammad and Mhamed all give "mhmd"; فاطمة/Fatma/Fatimah "ftma".
Keys are deliberately coarse (محمد = محمود): they are for blocking; ``similarity`` decides.
``full_name_keys(first, last).unordered`` is the same when first and last are swapped.

``similarity`` mixes the key distance (weight 0.6) with the vowels of the Latin forms (Arabic
is transliterated with ``transliterate_arabic``) and, for two Arabic names, the Arabic forms.
``rank_candidates`` scores a query against strings or ``(id, name)`` pairs.
Results are cached per distinct string (LRU), which is what makes a million-row pass cheap.
"""

from .arabic import normalize_arabic
from .keys import NameKeys, full_name_keys, name_key, token_keys
from .latin import normalize_latin
from .similarity import rank_candidates, similarity
from .translit import transliterate_arabic

__all__ = [
    "NameKeys",
    "full_name_keys",
    "name_key",
    "normalize_arabic",
    "normalize_latin",
    "rank_candidates",
    "similarity",
    "token_keys",
    "transliterate_arabic",
]
