"""Typed people: an independent generator of membership files for duplicate-detection figures.

Written without reading the matching engine or the project's first generator, so that figures
measured on its output are honest. It models membership files typed by volunteers at party
offices, self-registrations on the web, and old spreadsheets of provincial offices, merged.

    python -m bench.typed_people --rows 1000000 --seed 1 --out people.csv --truth truth.csv

``people.csv``: ``id,first_name,last_name,birth_date,cin,phone,commune_code`` in shuffled order;
``truth.csv``: ``id,person_id``. Everything follows from ``--seed``. Names and communes come from
``shared/data`` (``--data`` or ``$TYPED_PEOPLE_DATA`` to point elsewhere); a few dozen common
Moroccan names missing there (Abd- compounds, Nadia, Ghizlane, Lahcen...), Ben-/Bel-/Ait-/Ou-
family names and place adjectives (Oujdi, Tetouani...) are editorial and listed below.

Memory stays flat: records go to about ``rows / 20,000`` temporary buckets, each bucket is then
shuffled on its own and written out (a uniform shuffle); ids are a bijection of the output
position, so they say nothing about who is who. Only CIN and phone counters are kept.

Proportions (chosen, not measured; every draw is independent unless said):

=====================================  ==========================================================
who
  clusters                             single 78 %, household 10 %, namesakes 5 %,
                                       father/son 4 %, twins 3 %  (of clusters)
  -> persons                           about 57 % singles, 22 % in households, 10 % namesakes,
                                       6 % father/son, 4.5 % twins
  household                            head aged 38-80 (85 % male), spouse 75 % (own family
                                       name 80 %), 0-3 adult children; same commune; one
                                       phone (a 05 landline in 20 %) given to the head 80 %
                                       and to each other member 60 %
  namesakes                            2-4 persons, same first name (top 5) and family name
                                       (top 10), same big city (top 14 by population), own
                                       CIN and birth date (35 % within 3 years)
  father/son                           same first and family name, son born 22-38 years later,
                                       same commune 80 %, same phone 50 %
  twins                                same family name, birth date, commune; phone 80 %;
                                       first names differ (same-sex 60 %, of which 25 % get
                                       look-alike pairs like Hassan/Lhoucine, Youssef/Younes);
                                       CIN: same series, only the last digit differs 60 %
  gender                               62 % men; first names by gender and birth cohort
  age (years, at 2026)                 18-24 14, 25-34 24, 35-44 22, 45-54 18, 55-64 13,
                                       65-74 7, 75-85 2 %; year only (Jan 1) for 35 % born
                                       before 1965, 10 % 1965-79, 2 % later
  CIN                                  prefix of the issuing region (85 %, else anywhere);
                                       1 letter + 6 digits (80 %) or 5; 2 letters + 6 (65 %) or 5
  phone                                06 or 07 + 8 digits, unique per person unless shared
  commune                              by 2024 population
  script                               43 % of persons lean to Arabic, 57 % to Latin
                                       (about 37 % of rows end up in Arabic)
  first-name weights                   editorial Moroccan ones (Mohamed about 1 man in 6)
duplicates
  persons with extra records           22 %: 1 (55 %), 2 (25 %), 3 (15 %), 4 (5 %)
  -> rows                               about 1.37 rows per person: 27 % of rows are extra
  source of each record                office desk 55 %, web 20 %, old spreadsheet 25 %
  errors                               the first record of a person gets 0.35 x the rates
                                       below, every extra record the full rate
  name script                          the person's own 70 % (office), Latin 80 % (web),
                                       Latin 70 % upper case (spreadsheet); mixed scripts 3 %
  other transliteration                first 20 %, family 12 % (Latin)
  El/Al/ال forms                       family name with ال: Latin form redrawn 30 %; ال
                                       dropped in Arabic 6 %; hamza-less Arabic 30 % (habit)
  compound split/joined                12 % of names that can be
  middle name / Moulay, Lalla, Sidi    5 %
  typo                                 first 7 %, family 7 % (drop, double, swap, substitute,
                                       insert; Arabic letter confusions ة/ه ى/ي أ/إ/ا ...)
  first and family name swapped        3 %
  birth date                           missing 6/2/15 % (office/web/sheet), year only 5/0/20 %,
                                       day and month swapped 3 %, one digit off 3 %
  CIN                                  missing 12/25/20 %; typo 12 % (swap, drop, double,
                                       insert, substitute, AL/LA, letter dropped or added,
                                       look-alikes l/1/I O/0 B/8 S/5 Z/2 G/6 b/6); spaces
                                       or dashes 6 %; lower case 5/12/2 %
  phone                                missing 10/3/40 %; another number 8 % (extra records);
                                       typo 5 %; format (06..., +2126..., 2126..., 00212...,
                                       spaces, dashes, dots, lost leading zero) by source
  commune                              neighbouring commune 6 %, province's main city 4 %
                                       (extra records)
=====================================  ==========================================================

CIN prefixes per region are approximate (editorial): they look like real ones, nothing more.
CINs and phones are unique per person by construction; a typo can still land on another
person's CIN (a few hundred strings in a million rows), as it does in real files.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import shutil
import sys
import tempfile
import time
from bisect import bisect
from datetime import date
from itertools import accumulate
from pathlib import Path

REF_YEAR = 2026
DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

# ---------------------------------------------------------------------------------------------
# Editorial name data
# ---------------------------------------------------------------------------------------------

# Common Moroccan first names that shared/data lacks in Arabic (gender, Arabic, Latin spellings).
# fmt: off
EXTRA_FIRST = [
    ("M", "عبد العزيز", "Abdelaziz|Abdelaaziz|Abdel Aziz"),
    ("M", "عبد الرحيم", "Abderrahim|Abderahim|Abdelrahim"),
    ("M", "عبد القادر", "Abdelkader|Abdelkadir|Abdelqader"),
    ("M", "عبد اللطيف", "Abdellatif|Abdelatif"), ("M", "عبد الحق", "Abdelhak|Abdelhaq"),
    ("M", "عبد الرحمان", "Abderrahmane|Abderrahman|Abderahman|Abdelrahman"),
    ("M", "عبد الصمد", "Abdessamad|Abdessamed|Abdesamad"),
    ("M", "عبد الغني", "Abdelghani|Abdelghany"), ("M", "عبد الحميد", "Abdelhamid|Abdelhamide"),
    ("M", "عبد الفتاح", "Abdelfattah|Abdelfetah"), ("M", "عبد الجليل", "Abdeljalil"),
    ("M", "عبد الهادي", "Abdelhadi"), ("M", "عبد الحفيظ", "Abdelhafid|Abdelhafide"),
    ("M", "عبد الحكيم", "Abdelhakim"),
    ("M", "عبد الواحد", "Abdelouahed|Abdelwahed|Abdelouahid|Abdelwahid"),
    ("M", "عبد الوهاب", "Abdelouahab|Abdelwahab"),
    ("M", "عبد النبي", "Abdennbi|Abdenbi|Abdennabi"),
    ("M", "عبد المنعم", "Abdelmounaim|Abdelmounim|Abdelmonaim"),
    ("M", "صلاح الدين", "Salaheddine|Salah Eddine|Salahdine"),
    ("M", "بدر الدين", "Badreddine|Badr Eddine|Badrdine"),
    ("M", "سيف الدين", "Saifeddine|Sifeddine|Saif Eddine"),
    ("M", "محمد أمين", "Mohamed Amine|Mohammed Amine|Med Amine"),
    ("M", "لحسن", "Lahcen|Lahsen|Lhassan"),
    ("M", "الحسين", "Lhoucine|Houssine|El Houssine|Lahoucine"), ("M", "علال", "Allal|Alal"),
    ("M", "بوجمعة", "Boujemaa|Boujmaa"), ("M", "بوبكر", "Boubker|Boubkar|Boubaker"),
    ("M", "محسن", "Mohcine|Mohssine|Mouhssine|Mohsin"), ("M", "منصف", "Moncef|Mouncef"),
    ("M", "حسام", "Houssam|Hossam"), ("M", "ياسر", "Yasser|Yassir"),
    ("M", "سهيل", "Souhail|Souheil"), ("M", "صهيب", "Souhaib|Sohayb|Souhayb"),
    ("M", "صفوان", "Safouane|Safwane|Safwan"), ("F", "غزلان", "Ghizlane|Ghizlan|Ghislane"),
    ("F", "فوزية", "Fouzia|Fawzia"), ("F", "حفيظة", "Hafida|Hafidha"), ("F", "حكيمة", "Hakima"),
    ("F", "نادية", "Nadia|Nadiya"), ("F", "يسرى", "Yousra|Yosra|Youssra"),
    ("F", "سامية", "Samia|Samiya"), ("F", "صفية", "Safia|Safiya"), ("F", "سليمة", "Salima"),
    ("F", "رقية", "Rkia|Roukaya|Rokaya|Rouqaya"), ("F", "كلثوم", "Kaltoum|Keltoum|Kalthoum"),
    ("F", "الزهرة", "Zhor|Zohra|Zahra"), ("F", "ابتسام", "Ibtissam|Ibtissame|Btissam"),
    ("F", "انتصار", "Intissar|Intissare"), ("F", "رباب", "Rabab"), ("F", "وردة", "Ouarda|Warda"),
    ("F", "يامنة", "Yamina"), ("F", "حبيبة", "Habiba"), ("F", "نفيسة", "Noufissa|Nafissa"),
    ("F", "عفاف", "Afaf"), ("F", "فدوى", "Fadoua|Fadwa"), ("F", "حفصة", "Hafsa|Hafssa"),
    ("F", "مونية", "Mounia|Mounya"),
]
# fmt: on

# Latin spellings reordered the Moroccan way (first = most usual), overriding shared/data.
FIRST_SPELLINGS = {
    "محمد": "Mohamed|Mohammed|Mohamad|Mouhamed|Mhamed|Mohammad|M'hamed|Muhammad|Med",
    "عثمان": "Othmane|Otmane|Outmane|Othman|Osman",
    "إدريس": "Driss|Idriss|Idris",
    "إسماعيل": "Ismail|Smail|Ismael",
    "سليمان": "Slimane|Soulaimane|Souleymane|Soliman",
    "حسين": "Houcine|Hocine|Houssine",
    "مصطفى": "Mustapha|Mostafa|Moustapha|Mostapha|Mustafa",
    "يوسف": "Youssef|Youssouf|Yousef|Youcef",
    "إبراهيم": "Brahim|Ibrahim",
    "يونس": "Younes|Youness|Younesse|Yunus",
    "أسامة": "Oussama|Ousama|Osama",
    "زكرياء": "Zakaria|Zakariae|Zakariya",
    "سعيد": "Said|Saaid",
    "عبد الله": "Abdellah|Abdallah|Abdelah|Abdullah",
    "نور الدين": "Noureddine|Nourdine|Nour Eddine|Nourddine",
}

# Moroccan frequency weights (editorial; the shared counts are worldwide). Default 1.5.
# fmt: off
FIRST_WEIGHT = {
    "محمد": 90, "أحمد": 30, "عبد الله": 16, "يوسف": 14, "حسن": 13, "رشيد": 12, "مصطفى": 12,
    "سعيد": 12, "إبراهيم": 10, "علي": 10, "إدريس": 9, "خالد": 9, "هشام": 9, "عبد الرحيم": 8,
    "عبد القادر": 8, "عبد العزيز": 8, "ياسين": 8, "عمر": 8, "لحسن": 8, "كريم": 7, "عادل": 7,
    "جمال": 7, "سمير": 7, "أيوب": 7, "حمزة": 7, "أمين": 7, "نور الدين": 6, "عبد اللطيف": 6,
    "مهدي": 6, "إسماعيل": 6, "يونس": 6, "زكرياء": 6, "سفيان": 6, "أسامة": 6, "عثمان": 5, "أنس": 5,
    "عبد الحق": 5, "عبد الصمد": 5, "عزيز": 5, "توفيق": 5, "مراد": 5, "طارق": 5, "بلال": 5,
    "رضا": 5, "عبد الكريم": 5, "عبد السلام": 5, "الحسين": 5, "محمد أمين": 5, "فؤاد": 4, "منير": 4,
    "بوشعيب": 4, "مبارك": 4, "العربي": 4, "وليد": 4, "زهير": 4, "عبد الإله": 4, "عبد المجيد": 4,
    "عبد العالي": 4, "عز الدين": 4, "صلاح الدين": 4, "محسن": 4, "إلياس": 4, "عبد الرحمان": 4,
    "نبيل": 4, "حميد": 4, "عبد الرحمن": 4, "فاطمة": 40, "خديجة": 18, "فاطمة الزهراء": 15,
    "مريم": 12, "زينب": 10, "نعيمة": 10, "مليكة": 9, "سعيدة": 9, "عائشة": 9, "أمينة": 8, "حنان": 8,
    "نادية": 8, "سميرة": 8, "إيمان": 8, "لطيفة": 7, "رشيدة": 7, "كريمة": 7, "سناء": 7, "أسماء": 7,
    "حليمة": 6, "هدى": 6, "فتيحة": 6, "سلمى": 5, "هاجر": 5, "سكينة": 5, "شيماء": 5, "غزلان": 5,
    "ليلى": 5, "نجاة": 5, "بشرى": 5, "وفاء": 5, "خولة": 4, "كوثر": 4, "صفاء": 4, "ياسمين": 4,
    "لبنى": 4, "نزهة": 4, "فوزية": 4, "حفيظة": 4, "سهام": 4, "إلهام": 4, "زهراء": 0.3, "سيمو": 0,
    "عبدو": 0.1, "عبده": 0.1, "أوسيم": 0.05,
}
# fmt: on
FIRST_RARE = set(
    "ماريا ريتا لارا جانا يارا غادة نرمين جمانة قمر عاتكة هالة إسلام سمر سحر ريم تسنيم عمرو "
    "محمود ماهر باسم فادي غسان نديم جاد فواز أمجد بسام نسيم سيف زيد شهاب قاسم فارس جعفر "
    "نزار فاروق منصور ناصر عباس".split()
)
FIRST_YOUNG = set(
    "آدم ريان إلياس آية ملاك جانا يارا لينة صوفيا ماريا هبة شيماء سلمى ياسمين أميمة نهيلة "
    "خولة كوثر هاجر سكينة غيثة دعاء وئام أنس أيوب حمزة زكرياء بلال ياسين معاذ مروان أسامة "
    "إيمان سفيان مهدي ريم ندى يسرى صهيب صفوان".split()
)
FIRST_OLD = set(
    "مبارك بوشعيب ميلود المعطي العربي الطيب لحسن علال بوجمعة بوبكر الحسين خديجة عائشة "
    "حليمة الزهرة رقية كلثوم يامنة فتيحة مليكة حبيبة فاطمة عبد القادر محمد أحمد".split()
)

# Family names added to shared/data's (Arabic, Latin spellings, weight); Ait/Ou names are
# weighted up in Souss-Massa, Drâa-Tafilalet and Guelmim-Oued Noun.
# fmt: off
EXTRA_LAST = [
    ("بنصالح", "Bensalah|Ben Salah", 1), ("بنقدور", "Benkaddour|Benkadour", 1),
    ("بنداود", "Bendaoud", 1), ("بنيوسف", "Benyoussef|Benyoussef", 1), ("بنعبو", "Benabbou", 0.6),
    ("بنعزوز", "Benazzouz", 0.6), ("بنعمار", "Benammar", 0.6),
    ("بنلحسن", "Benlahcen|Benlahsen", 1), ("بنطالب", "Bentaleb", 0.8),
    ("بلعربي", "Belarbi|Belarabi", 1), ("بلحسن", "Belhassan|Belhacen", 0.8),
    ("بلفقيه", "Belfakih|Belfquih", 0.8), ("بلمختار", "Belmokhtar", 0.6), ("بوعلي", "Bouali", 0.8),
    ("بوكيلي", "Boukili", 0.6), ("بوشيخي", "Bouchikhi", 0.6), ("الوجدي", "Oujdi", 0.8),
    ("الرباطي", "Rbati|Ribati", 0.6), ("التطواني", "Tetouani", 0.8), ("الطنجاوي", "Tanjaoui", 0.5),
    ("الصويري", "Souiri", 0.5), ("الجديدي", "Jdidi", 0.6), ("البركاني", "Berkani", 0.8),
    ("الناظوري", "Nadori|Nadouri", 0.5), ("الغرباوي", "Gharbaoui", 0.8), ("الحوزي", "Haouzi", 0.6),
    ("الرحماني", "Rahmani", 1), ("الشياظمي", "Chiadmi", 0.6), ("العبدي", "Abdi", 0.8),
    ("الزعري", "Zaari", 0.6), ("الحريزي", "Harizi", 0.6), ("الخميسي", "Khemissi", 0.5),
    ("الأحمدي", "Ahmadi", 1), ("المحمدي", "Mohammadi|Mohamadi", 1), ("العزيزي", "Azizi", 1),
    ("الجمالي", "Jamali", 1), ("الخالدي", "Khalidi", 1), ("الصالحي", "Salhi|Salihi", 1),
    ("العباسي", "Abbassi|Abbasi", 1), ("البكري", "Bakri", 0.8), ("العياشي", "Ayachi|Ayyachi", 1),
    ("الموساوي", "Moussaoui", 1.2), ("الإسماعيلي", "Ismaili|Smaili", 1),
    ("المختاري", "Mokhtari", 1), ("الحمزاوي", "Hamzaoui", 0.8), ("اليحياوي", "Yahyaoui", 0.8),
    ("العيساوي", "Aissaoui", 0.8), ("الأنصاري", "Ansari", 1), ("العمري", "Omari|Amri", 1),
    ("الراضي", "Radi", 0.8), ("الشاذلي", "Chadli|Chedli", 0.6), ("المودن", "Moudden", 0.6),
    ("الخياطي", "Khyati", 0.6), ("الكبير", "Kbir|Kebir", 0.8), ("آيت علي", "Ait Ali|Aitali", 1.5),
    ("آيت أحمد", "Ait Ahmed", 1), ("آيت لحسن", "Ait Lahcen", 1), ("آيت بها", "Ait Baha", 0.6),
    ("آيت حمو", "Ait Hammou", 0.8), ("آيت عمر", "Ait Omar", 0.6), ("آيت سعيد", "Ait Said", 0.8),
    ("آيت موسى", "Ait Moussa", 0.6), ("آيت الطالب", "Ait Taleb", 0.6), ("أوحمو", "Ouhammou", 0.8),
    ("أوعلي", "Ouali|Ouaali", 0.8), ("أمغار", "Amghar", 0.8), ("أبركان", "Aberkane", 0.6),
    ("أوبلا", "Oubella", 0.5), ("أخريف", "Akhrif", 0.4),
]
# fmt: on
# fmt: off
LAST_WEIGHT = {
    "العلوي": 12, "الإدريسي": 12, "العمراني": 6, "بناني": 5, "التازي": 4, "الفاسي": 4,
    "الشرقاوي": 4, "السعيدي": 4, "الحسني": 4, "المرابط": 3, "الناصري": 3, "الزروالي": 3,
    "الدكالي": 3, "السباعي": 3, "الفيلالي": 3, "بقالي": 3, "الوزاني": 3, "الرشيدي": 3,
    "الطاهري": 3, "منصوري": 3, "الشاوي": 3, "حجي": 2, "بنعلي": 2, "برادة": 2, "الهلالي": 2,
    "صبري": 0.3, "زكي": 0.2, "رامي": 0.2, "ناجي": 0.5, "شفيق": 0.5, "أزولاي": 0.1, "صباغ": 0.4,
    "التونسي": 0.5, "مولين": 0.5, "غزالي": 0.5,
}
# fmt: on
SHARIF = {"العلوي", "الإدريسي", "الوزاني", "الكتاني", "الصقلي", "القادري", "الحسني"}
AMAZIGH_REGIONS = {"08", "09", "10"}

# CIN prefixes by region (editorial approximation).
CIN_PREFIXES = {
    "01": "K KA KB L LA LB LC R",
    "02": "F FA FB FC S",
    "03": "C CB CD D DA DB Z",
    "04": "A AB AD AE G GA GB X",
    "05": "I IA IB Q M",
    "06": "B BA BB BE BH BJ BK BL BM W WA T TA N",
    "07": "E EA EB EE H HA HH",
    "08": "U UA P PA",
    "09": "J JA JB JC JE JH JK",
    "10": "JY JT",
    "11": "SH SJ",
    "12": "SL",
}
# fmt: off
CIN_LOOKALIKE = {
    "1": "lI", "l": "1I", "I": "1l", "0": "O", "O": "0", "8": "B", "B": "8", "5": "S", "S": "5",
    "2": "Z", "Z": "2", "6": "Gb", "G": "6", "b": "6",
}
# fmt: on

AGE_BANDS = [(18, 24, 14), (25, 34, 24), (35, 44, 22), (45, 54, 18), (55, 64, 13),
             (65, 74, 7), (75, 85, 2)]  # fmt: skip

AR_CONFUSE = {
    "ة": "ه", "ه": "ةح", "ى": "ي", "ي": "ىئ", "أ": "اإ", "إ": "اأ", "ا": "أإع", "آ": "ا",
    "ض": "ظد", "ظ": "ضط", "ذ": "زد", "ز": "ذر", "ث": "ست", "س": "صش", "ص": "سض", "ط": "تظ",
    "ت": "طث", "ق": "كغ", "ك": "ق", "ح": "هخ", "خ": "ح", "ئ": "ي", "ؤ": "و", "ع": "غ", "غ": "ع",
    "د": "ذ", "ر": "ز", "ب": "ت", "ن": "ت", "و": "ؤ",
}  # fmt: skip
AR_HAMZA = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا"})
AZERTY = ["azertyuiop", "qsdfghjklm", "wxcvbn"]
LAT_NEAR = {}
for _row in AZERTY:
    for _i, _c in enumerate(_row):
        LAT_NEAR[_c] = _row[max(0, _i - 1) : _i] + _row[_i + 1 : _i + 2]
LAT_SOUND = {"a": "e", "e": "ai", "i": "ey", "o": "u", "u": "o", "k": "qc", "q": "k", "c": "k",
             "s": "z", "z": "s", "d": "t", "t": "d", "b": "p", "y": "i"}  # fmt: skip
LAT_RULES = [("ou", "w"), ("w", "ou"), ("ch", "sh"), ("sh", "ch"), ("k", "q"), ("q", "k"),
             ("ss", "s"), ("ae", "a"), ("aa", "a"), ("ie", "i"), ("ou", "o"), ("mm", "m"),
             ("ll", "l"), ("tt", "t"), ("dj", "j"), ("i", "y"), ("y", "i"), ("e", "a"),
             ("ine", "in"), ("ane", "an")]  # fmt: skip
SPLIT_LAT = re.compile(r"^(abd(?:el|al)|abd(?=e[rstdnz])|ben(?!n)|bel|bou|ait|nour|salah|badr|"
                       r"saif|sif|charaf|izz|fatima|mohamed|mohammed)([a-z]{3,})$")  # fmt: skip
SPLIT_AR = re.compile(r"^(عبد|بن|أبو|ابو|بو)(.{3,})$")
JOIN_AR_FIRST = {"عبد", "بن", "آيت", "ايت", "أيت", "أبو", "ابو", "بو"}
ARTICLE_LAT = re.compile(r"^(?:el|es|ech|en|et|ez|er|ed)[- ]?(?=[a-z]{3})", re.I)
SUN = set("tdrzsnl")
FOREIGN = re.compile(r"(?<![oa])u|ee|oo|^e[sl]a")

# Per source: weight, Latin share, case (title, upper, lower), missing birth date, year only,
# missing CIN, lower-case CIN, missing phone, phone format weights (see phone_format).
SOURCES = [
    # name   weight latin           case        dob_miss year  cin_miss cin_low ph_miss formats
    ("office", 55, None, (80, 17, 3), 0.06, 0.05, 0.12, 0.05, 0.10,
     (50, 20, 8, 8, 3, 4, 2, 3, 2)),
    ("web", 20, 0.80, (80, 5, 15), 0.02, 0.0, 0.25, 0.12, 0.03,
     (30, 8, 4, 35, 8, 6, 4, 2, 3)),
    ("sheet", 25, 0.70, (25, 73, 2), 0.15, 0.20, 0.20, 0.02, 0.40,
     (45, 15, 8, 3, 1, 5, 3, 5, 15)),
]  # fmt: skip


def cumulative(weights):
    return list(accumulate(weights))


def pick(rnd, items, cum):
    return items[bisect(cum, rnd.random() * cum[-1])]


def capitalize(s: str) -> str:
    out = []
    up = True
    for ch in s:
        out.append(ch.upper() if up else ch)
        up = ch in " -"
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Reference data
# ---------------------------------------------------------------------------------------------


class Name:
    """A name in both scripts: Arabic form, Latin spellings and their weights."""

    __slots__ = ("ar", "latin", "cum", "article", "weight")

    def __init__(self, ar: str, latin: list[str], weight: float = 1.0):
        self.ar = ar
        self.latin = latin
        # the first spelling is the Moroccan one; English or Levantine ones (Yunus, Sameer) are rare
        self.cum = cumulative(
            ([10, 4, 2][i] if i < 3 else 1) * (0.3 if i and FOREIGN.search(v.lower()) else 1)
            for i, v in enumerate(latin)
        )
        self.article = ar.startswith("ال")
        self.weight = weight


def spellings(field: str) -> list[str]:
    seen = []
    for v in field.split("|"):
        v = v.strip()
        if v and ("'" not in v or v == "M'hamed") and v not in seen:
            seen.append(v)
    return seen


class World:
    def __init__(self, data: Path):
        self.load_communes(data)
        self.load_first_names(data)
        self.load_last_names()
        self.load_last_csv(data)
        self.finish_last_names()

    def load_communes(self, data: Path) -> None:
        with open(data / "communes.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        self.codes = [r["code"] for r in rows]
        self.region = [r["region_code"] for r in rows]
        pops = [int(r["population_2024"]) for r in rows]
        self.commune_cum = cumulative(pops)
        self.commune_idx = list(range(len(rows)))
        by_cercle: dict[str, list[int]] = {}
        by_province: dict[str, list[int]] = {}
        for i, r in enumerate(rows):
            if r["cercle_code"]:
                by_cercle.setdefault(r["cercle_code"], []).append(i)
            by_province.setdefault(r["province_code"], []).append(i)
        self.neighbours = []
        self.main_city = []
        for i, r in enumerate(rows):
            same = by_cercle.get(r["cercle_code"]) or by_province[r["province_code"]]
            near = [j for j in same if j != i] or [
                j for j in by_province[r["province_code"]] if j != i
            ]
            self.neighbours.append(near or [i])
            prov = by_province[r["province_code"]]
            self.main_city.append(max(prov, key=lambda j: pops[j]))
        big = sorted(range(len(rows)), key=lambda j: -pops[j])[:14]
        self.big_cities = big
        self.big_cum = cumulative(pops[j] for j in big)
        self.cin_prefixes = {k: v.split() for k, v in CIN_PREFIXES.items()}
        self.all_prefixes = [p for v in self.cin_prefixes.values() for p in v]

    def load_first_names(self, data: Path) -> None:
        names: dict[str, list[Name]] = {"M": [], "F": []}
        seen = set()
        with open(data / "first_names.csv", encoding="utf-8", newline="") as f:
            rows = [(r["gender"], r["name_ar"], r["latin_variants"]) for r in csv.DictReader(f)]
        for gender, ar, latin in rows + EXTRA_FIRST:
            if (gender, ar) in seen:
                continue
            seen.add((gender, ar))
            lat = spellings(FIRST_SPELLINGS.get(ar, latin))
            if not lat:
                continue
            names[gender].append(
                Name(ar, lat, FIRST_WEIGHT.get(ar, 0.2 if ar in FIRST_RARE else 1.5))
            )
        self.first = names
        # cohort 0: born before 1970, 1: 1970-1989, 2: 1990 and later
        self.first_cum = {}
        for gender, lst in names.items():
            for cohort in range(3):
                ws = []
                for n in lst:
                    w = n.weight
                    if n.ar in FIRST_YOUNG:
                        w *= (0.1, 0.6, 2.5)[cohort]
                    elif n.ar in FIRST_OLD:
                        w *= (2.5, 1.0, 0.3)[cohort]
                    ws.append(w)
                self.first_cum[gender, cohort] = cumulative(ws)
        self.first_by_ar = {(g, n.ar): n for g, lst in names.items() for n in lst}
        top = {g: sorted(lst, key=lambda n: -n.weight)[:8] for g, lst in names.items()}
        self.common_first = top

    def load_last_names(self) -> None:
        self.last: list[Name] = []
        self.amazigh: list[bool] = []
        for ar, latin, w in EXTRA_LAST:
            self.add_last(ar, spellings(latin), w)

    def add_last(self, ar: str, latin: list[str], w: float) -> None:
        self.last.append(Name(ar, latin, w))
        self.amazigh.append(ar.startswith(("آيت", "أو", "أم", "أب", "أخ")))

    def load_last_csv(self, data: Path) -> None:
        have = {n.ar for n in self.last}
        with open(data / "last_names.csv", encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                ar = r["name_ar"]
                if ar == "إدريسي":
                    ar = "الإدريسي"
                if ar in have:
                    continue
                have.add(ar)
                lat = spellings(r["latin_variants"])
                if lat:
                    self.add_last(ar, lat, LAST_WEIGHT.get(ar, 1.0))

    def finish_last_names(self) -> None:
        ws = [n.weight for n in self.last]
        self.last_cum = cumulative(ws)
        self.last_cum_amazigh = cumulative(
            w * (6.0 if a else 1.0) for w, a in zip(ws, self.amazigh, strict=True)
        )
        self.last_cum_other = cumulative(
            w * (0.4 if a else 1.0) for w, a in zip(ws, self.amazigh, strict=True)
        )
        common = sorted(self.last, key=lambda n: -n.weight)[:10]
        self.common_last = common


# ---------------------------------------------------------------------------------------------
# Identifiers: unique CIN and phone numbers without remembering them all
# ---------------------------------------------------------------------------------------------


class Numbers:
    """Issues unique CIN blocks and phone numbers through seeded affine bijections."""

    def __init__(self, rnd: random.Random):
        self.rnd = rnd
        self.cin_state: dict[tuple[str, int], list[int]] = {}
        self.phone_k = 0
        self.phone_a = self.coprime(2 * 10**8)
        self.phone_b = rnd.randrange(2 * 10**8)
        self.land_k = 0
        self.land_a = self.coprime(10**8)
        self.land_b = rnd.randrange(10**8)

    def coprime(self, space: int) -> int:
        while True:
            a = self.rnd.randrange(space // 3, space - 1)
            if a % 2 and a % 5:
                return a

    def cin_block(self, prefix: str, digits: int) -> tuple[str, int, int]:
        while True:
            key = (prefix, digits)
            space = 10 ** (digits - 1)
            st = self.cin_state.get(key)
            if st is None:
                st = self.cin_state[key] = [0, self.coprime(space), self.rnd.randrange(space)]
            if st[0] < space:
                k = st[0]
                st[0] += 1
                return prefix, digits, (k * st[1] + st[2]) % space
            digits += 1

    @staticmethod
    def cin(block: tuple[str, int, int], last: int) -> str:
        prefix, digits, b = block
        return f"{prefix}{b * 10 + last:0{digits}d}"

    def mobile(self) -> str:
        x = (self.phone_k * self.phone_a + self.phone_b) % (2 * 10**8)
        self.phone_k += 1
        return ("06" if x < 10**8 else "07") + f"{x % 10**8:08d}"

    def landline(self) -> str:
        x = (self.land_k * self.land_a + self.land_b) % 10**8
        self.land_k += 1
        return f"05{x:08d}"


# ---------------------------------------------------------------------------------------------
# Persons
# ---------------------------------------------------------------------------------------------


class Person:
    __slots__ = ("pid", "gender", "first", "first_lat", "last", "last_lat", "last_base", "birth",
                 "cin", "phone", "commune", "latin")  # fmt: skip

    def __init__(self, pid, gender, first, first_lat, last, last_lat, last_base, birth, cin, phone,
                 commune, latin):  # fmt: skip
        self.pid = pid
        self.gender = gender
        self.first = first
        self.first_lat = first_lat
        self.last = last
        self.last_lat = last_lat
        self.last_base = last_base
        self.birth = birth
        self.cin = cin
        self.phone = phone
        self.commune = commune
        self.latin = latin


def article_forms(base: str) -> tuple[list[str], list[int]]:
    low = base.lower()
    if low.startswith(("ch", "sh")) or low[0] in SUN:
        c = "ch" if low.startswith(("ch", "sh")) else low[0]
        e = "E" + c
        return [base, "El " + base, e + low, e + " " + base, e + "-" + base, "El" + low], [
            50, 12, 15, 8, 5, 4]  # fmt: skip
    forms = [base, "El " + base, "El" + low, "El-" + base, "Al " + base, "Al" + low]
    weights = [50, 15, 15, 6, 4, 3]
    if low[0] in "aeiou":
        forms.append("L" + low)
        weights.append(4)
    return forms, weights


class Generator:
    def __init__(self, world: World, seed: int):
        self.w = world
        self.rnd = random.Random(seed)
        self.num = Numbers(self.rnd)
        self.pid = 0
        self.source_cum = cumulative(s[1] for s in SOURCES)

    # -- drawing attributes ------------------------------------------------------------------

    def commune(self) -> int:
        return pick(self.rnd, self.w.commune_idx, self.w.commune_cum)

    def birth(self, year: int | None = None) -> tuple[int, int, int]:
        rnd = self.rnd
        if year is None:
            lo, hi, _ = AGE_BANDS[bisect(AGE_CUM, rnd.random() * AGE_CUM[-1])]
            year = REF_YEAR - rnd.randint(lo, hi)
        year_only = 0.35 if year < 1965 else 0.10 if year < 1980 else 0.02
        if rnd.random() < year_only:
            return (year, 1, 1)
        d = date.fromordinal(date(year, 1, 1).toordinal() + rnd.randrange(365))
        return (d.year, d.month, d.day)

    def first_name(self, gender: str, year: int) -> Name:
        cohort = 0 if year < 1970 else 1 if year < 1990 else 2
        return pick(self.rnd, self.w.first[gender], self.w.first_cum[gender, cohort])

    def last_name(self, commune: int) -> Name:
        w = self.w
        cum = w.last_cum_amazigh if w.region[commune] in AMAZIGH_REGIONS else w.last_cum_other
        return pick(self.rnd, w.last, cum)

    def first_latin(self, name: Name) -> str:
        return pick(self.rnd, name.latin, name.cum)

    def last_latin(self, name: Name, base: str | None = None) -> tuple[str, str]:
        """A family name's Latin form and its base without the article (Alaoui, El Alaoui)."""
        if base is None:
            base = pick(self.rnd, name.latin, name.cum)
        if not name.article:
            return base, base
        base = capitalize(ARTICLE_LAT.sub("", base).lower())
        forms, weights = article_forms(base)
        return self.rnd.choices(forms, weights)[0], base

    def cin_block(self, commune: int) -> tuple[str, int, int]:
        rnd = self.rnd
        region = self.w.region[commune]
        prefixes = self.w.cin_prefixes[region] if rnd.random() < 0.85 else self.w.all_prefixes
        prefix = prefixes[int(rnd.random() * len(prefixes))]
        if len(prefix) == 1:
            digits = 6 if rnd.random() < 0.8 else 5
        else:
            digits = 6 if rnd.random() < 0.65 else 5
        return self.num.cin_block(prefix, digits)

    def person(self, gender=None, first=None, last=None, birth=None, commune=None, phone=None,
               cin=None) -> Person:  # fmt: skip
        rnd = self.rnd
        self.pid += 1
        if gender is None:
            gender = "M" if rnd.random() < 0.62 else "F"
        if commune is None:
            commune = self.commune()
        if birth is None:
            birth = self.birth()
        if first is None:
            first = self.first_name(gender, birth[0])
        if last is None:
            last = self.last_name(commune)
        if cin is None:
            cin = Numbers.cin(self.cin_block(commune), rnd.randrange(10))
        if phone is None:
            phone = self.num.mobile()
        last_lat, last_base = self.last_latin(last)
        return Person(f"P{self.pid:07d}", gender, first, self.first_latin(first), last, last_lat,
                      last_base, birth, cin, phone, commune, rnd.random() < 0.57)  # fmt: skip

    # -- clusters of real persons ---------------------------------------------------------------

    def cluster(self) -> list[Person]:
        r = self.rnd.random()
        if r < 0.78:
            return [self.person()]
        if r < 0.88:
            return self.household()
        if r < 0.93:
            return self.namesakes()
        if r < 0.97:
            return self.father_son()
        return self.twins()

    def household(self) -> list[Person]:
        rnd = self.rnd
        commune = self.commune()
        shared = self.num.landline() if rnd.random() < 0.2 else self.num.mobile()
        head_gender = "M" if rnd.random() < 0.85 else "F"
        head_year = REF_YEAR - rnd.randint(38, 80)
        head = self.person(gender=head_gender, birth=self.birth(head_year), commune=commune,
                           phone=shared if rnd.random() < 0.8 else None)  # fmt: skip
        people = [head]
        family = head.last if head_gender == "M" else None
        if rnd.random() < 0.75:
            spouse_year = head_year + (
                rnd.randint(0, 10) if head_gender == "M" else -rnd.randint(0, 8)
            )
            spouse_year = min(spouse_year, REF_YEAR - 20)
            spouse = self.person(
                gender="F" if head_gender == "M" else "M", birth=self.birth(spouse_year),
                commune=commune, phone=shared if rnd.random() < 0.6 else None,
                last=None if rnd.random() < 0.8 else head.last,
            )  # fmt: skip
            people.append(spouse)
            if family is None:
                family = spouse.last
        family = family or head.last
        for _ in range(rnd.choice((0, 1, 1, 2, 2, 3))):
            year = head_year + rnd.randint(20, 40)
            if year > REF_YEAR - 18:
                continue
            people.append(self.person(birth=self.birth(year), commune=commune, last=family,
                                      phone=shared if rnd.random() < 0.6 else None))  # fmt: skip
        return people

    def namesakes(self) -> list[Person]:
        rnd = self.rnd
        w = self.w
        gender = "M" if rnd.random() < 0.7 else "F"
        first = rnd.choice(w.common_first[gender][:5])
        last = rnd.choice(w.common_last)
        commune = pick(rnd, w.big_cities, w.big_cum)
        base_year = REF_YEAR - rnd.randint(20, 75)
        out = []
        for _ in range(rnd.choice((2, 2, 2, 3, 3, 4))):
            year = base_year + rnd.randint(-3, 3) if rnd.random() < 0.35 else None
            if year is not None:
                year = min(year, REF_YEAR - 18)
            out.append(self.person(gender=gender, first=first, last=last, commune=commune,
                                   birth=self.birth(year)))  # fmt: skip
        return out

    def father_son(self) -> list[Person]:
        rnd = self.rnd
        father_year = REF_YEAR - rnd.randint(42, 85)
        son_year = min(father_year + rnd.randint(22, 38), REF_YEAR - 18)
        commune = self.commune()
        first = (
            self.first_by("M", "محمد") if rnd.random() < 0.5 else self.first_name("M", father_year)
        )
        father = self.person(
            gender="M", first=first, birth=self.birth(father_year), commune=commune
        )
        son = self.person(
            gender="M", first=first, last=father.last, birth=self.birth(son_year),
            commune=commune if rnd.random() < 0.8 else None,
            phone=father.phone if rnd.random() < 0.5 else None,
        )  # fmt: skip
        return [father, son]

    def first_by(self, gender: str, ar: str) -> Name:
        return self.w.first_by_ar[gender, ar]

    def twins(self) -> list[Person]:
        rnd = self.rnd
        commune = self.commune()
        birth = self.birth()
        g1 = "M" if rnd.random() < 0.55 else "F"
        g2 = g1 if rnd.random() < 0.6 else ("F" if g1 == "M" else "M")
        n1 = n2 = None
        if g1 == g2 and rnd.random() < 0.25:
            pair = rnd.choice(TWIN_PAIRS[g1])
            n1, n2 = self.first_by(g1, pair[0]), self.first_by(g1, pair[1])
        a = self.person(gender=g1, birth=birth, commune=commune, first=n1)
        while n2 is None or n2.ar == a.first.ar:
            n2 = self.first_name(g2, birth[0])
        phone = a.phone if rnd.random() < 0.8 else None
        cin = None
        if rnd.random() < 0.6:
            m = re.match(r"([A-Z]+)(\d+)", a.cin)
            digits = m.group(2)
            last = (int(digits[-1]) + rnd.randint(1, 9)) % 10
            cin = m.group(1) + digits[:-1] + str(last)
        b = self.person(gender=g2, first=n2, last=a.last, birth=birth, commune=commune,
                        phone=phone, cin=cin)  # fmt: skip
        return [a, b]

    # -- rendering records ------------------------------------------------------------------------

    def records(self, p: Person) -> list[tuple[str, ...]]:
        rnd = self.rnd
        n = 1
        if rnd.random() < 0.22:
            n += EXTRA_COUNTS[int(rnd.random() * 20)]
        return [self.render(p, 0.35 if i == 0 else 1.0, i > 0) for i in range(n)]

    def render(self, p: Person, m: float, extra: bool) -> tuple[str, ...]:
        rnd = self.rnd
        src = SOURCES[bisect(self.source_cum, rnd.random() * self.source_cum[-1])]
        _, _, latin_share, case_w, dob_miss, dob_year, cin_miss, cin_low, ph_miss, formats = src
        if latin_share is None:
            latin = p.latin if rnd.random() < 0.7 else not p.latin
        else:
            latin = rnd.random() < latin_share
        r = rnd.random() * 100
        case = 0 if r < case_w[0] else 1 if r < case_w[0] + case_w[1] else 2
        mixed = rnd.random() < 0.03
        first = self.render_first(p, latin, m)
        last = self.render_last(p, latin != mixed, m)
        if latin:
            first = self.recase(first, case)
        if latin != mixed:
            last = self.recase(last, case)
        if rnd.random() < 0.03 * m:
            first, last = last, first
        birth = self.render_birth(p.birth, m, dob_miss, dob_year)
        cin = self.render_cin(p.cin, m, cin_miss, cin_low)
        phone = self.render_phone(p.phone, m, ph_miss, formats, extra)
        commune = p.commune
        if extra:
            r = rnd.random()
            if r < 0.06:
                nb = self.w.neighbours[commune]
                commune = nb[int(rnd.random() * len(nb))]
            elif r < 0.10:
                commune = self.w.main_city[commune]
        return (p.pid, first, last, birth, cin, phone, self.w.codes[commune])

    @staticmethod
    def recase(s: str, case: int) -> str:
        if case == 0:
            return capitalize(s.lower())
        return s.upper() if case == 1 else s.lower()

    def render_first(self, p: Person, latin: bool, m: float) -> str:
        rnd = self.rnd
        name = p.first
        if latin:
            s = p.first_lat
            if rnd.random() < 0.20 * m:
                s = self.other_spelling(name, s)
            s = s.lower()
            if rnd.random() < 0.12 * m:
                s = split_join_latin(rnd, s)
            if rnd.random() < 0.05 * m:
                s = self.middle_name(p, s, True)
            if rnd.random() < 0.07 * m:
                s = latin_typo(rnd, s)
            return s
        s = name.ar
        if rnd.random() < 0.12 * m:
            s = split_join_ar(rnd, s)
        if rnd.random() < 0.05 * m:
            s = self.middle_name(p, s, False)
        if rnd.random() < 0.07 * m:
            s = arabic_typo(rnd, s)
        if rnd.random() < 0.30:
            s = s.translate(AR_HAMZA)
        return s

    def render_last(self, p: Person, latin: bool, m: float) -> str:
        rnd = self.rnd
        name = p.last
        if latin:
            s = p.last_lat
            if rnd.random() < 0.12 * m:
                s = self.last_latin(name, capitalize(self.other_spelling(name, p.last_base)))[0]
            elif name.article and rnd.random() < 0.30 * m:
                s = self.last_latin(name, p.last_base)[0]
            s = s.lower()
            if rnd.random() < 0.12 * m:
                s = split_join_latin(rnd, s, family=True)
            if rnd.random() < 0.07 * m:
                s = latin_typo(rnd, s)
            return s
        s = name.ar
        if name.article and rnd.random() < 0.06 * m:
            s = s[2:]
        if rnd.random() < 0.12 * m:
            s = split_join_ar(rnd, s)
        if rnd.random() < 0.07 * m:
            s = arabic_typo(rnd, s)
        if rnd.random() < 0.30:
            s = s.translate(AR_HAMZA)
        return s

    def other_spelling(self, name: Name, current: str) -> str:
        rnd = self.rnd
        if len(name.latin) > 1 and rnd.random() < 0.6:
            for _ in range(4):
                v = pick(rnd, name.latin, name.cum)
                if v != current:
                    return v
        return latin_rule(rnd, current.lower())

    def middle_name(self, p: Person, s: str, latin: bool) -> str:
        rnd = self.rnd
        male = p.gender == "M"
        if p.last.ar in SHARIF and rnd.random() < 0.5:
            pre = ("Moulay", "مولاي") if male else ("Lalla", "لالة")
        elif rnd.random() < 0.3:
            pre = ("Sidi", "سيدي") if male else ("Fatima", "فاطمة")
        else:
            pre = ("Mohamed", "محمد") if male else ("Fatima", "فاطمة")
        if rnd.random() < 0.75 and p.first.ar not in (
            "محمد",
            "فاطمة",
            "محمد أمين",
            "فاطمة الزهراء",
        ):
            word = pre[0].lower() if latin else pre[1]
            return s if s.startswith(word) else f"{word} {s}"
        other = self.first_name(p.gender, p.birth[0])
        return f"{s} {other.latin[0].lower()}" if latin else f"{s} {other.ar}"

    def render_birth(self, birth, m, miss, year_only) -> str:
        rnd = self.rnd
        if rnd.random() < miss:
            return ""
        y, mo, d = birth
        if rnd.random() < year_only:
            mo, d = 1, 1
        r = rnd.random()
        if r < 0.03 * m and d <= 12 and d != mo:
            mo, d = d, mo
        elif r < 0.06 * m:
            s = list(f"{y:04d}{mo:02d}{d:02d}")
            for _ in range(4):
                i = rnd.choice((2, 3, 3, 3, 5, 6, 7, 7))
                t = s[:]
                t[i] = str((int(t[i]) + rnd.choice((1, -1, 1, 2))) % 10)
                try:
                    dt = date(int("".join(t[:4])), int("".join(t[4:6])), int("".join(t[6:])))
                except ValueError:
                    continue
                if 1935 < dt.year <= REF_YEAR - 16:
                    y, mo, d = dt.year, dt.month, dt.day
                    break
        return f"{y:04d}-{mo:02d}-{d:02d}"

    def render_cin(self, cin: str, m: float, miss: float, low: float) -> str:
        rnd = self.rnd
        if rnd.random() < miss:
            return ""
        if rnd.random() < 0.12 * m:
            cin = cin_typo(rnd, cin)
        if rnd.random() < 0.06 * m:
            i = len(cin.rstrip("0123456789")) or 1
            cin = cin[:i] + rnd.choice((" ", "-", " ", "  ")) + cin[i:]
        if rnd.random() < low:
            cin = cin.lower()
            if "6" in cin and rnd.random() < 0.15:
                cin = cin.replace("6", "b", 1)
        return cin

    def render_phone(self, phone: str, m: float, miss: float, formats, extra: bool) -> str:
        rnd = self.rnd
        if rnd.random() < miss:
            return ""
        if extra and rnd.random() < 0.08:
            phone = self.num.mobile()
        if rnd.random() < 0.05 * m:
            phone = phone[:2] + digit_typo(rnd, phone[2:])
        return phone_format(phone, rnd.choices(range(9), formats)[0])


TWIN_PAIRS = {
    "M": [("حسن", "الحسين"), ("محمد", "أحمد"), ("يوسف", "يونس"), ("أمين", "ياسين"),
          ("أنس", "أيوب"), ("عبد الله", "عبد الرحيم")],
    "F": [("هدى", "هند"), ("إيمان", "أمينة"), ("سناء", "سلمى"), ("فاطمة", "خديجة"),
          ("مريم", "زينب")],
}  # fmt: skip
EXTRA_COUNTS = (1,) * 11 + (2,) * 5 + (3,) * 3 + (4,)  # 55, 25, 15, 5 %
AGE_CUM = cumulative(b[2] for b in AGE_BANDS)


# ---------------------------------------------------------------------------------------------
# Typing errors
# ---------------------------------------------------------------------------------------------


def latin_typo(rnd: random.Random, s: str) -> str:
    letters = [i for i, c in enumerate(s) if c.isalpha()]
    if len(letters) < 3:
        return s
    i = rnd.choice(letters[1:])
    r = rnd.random()
    if r < 0.25:
        return s[:i] + s[i + 1 :]
    if r < 0.45:
        return s[:i] + s[i] + s[i:]
    if r < 0.65 and i + 1 < len(s) and s[i + 1].isalpha() and s[i + 1] != s[i]:
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    if r < 0.9:
        c = s[i]
        pool = LAT_SOUND.get(c, "") if rnd.random() < 0.5 else LAT_NEAR.get(c, "")
        pool = pool or LAT_NEAR.get(c, "") or "e"
        return s[:i] + rnd.choice(pool) + s[i + 1 :]
    return s[:i] + rnd.choice("aeiounrlst") + s[i:]


def arabic_typo(rnd: random.Random, s: str) -> str:
    letters = [i for i, c in enumerate(s) if c != " "]
    if len(letters) < 3:
        return s
    r = rnd.random()
    if r < 0.45:
        spots = [i for i in letters if s[i] in AR_CONFUSE]
        if spots:
            i = rnd.choice(spots)
            # word-final letters (ة, ى, ي) are confused most
            ends = [j for j in spots if j + 1 == len(s) or s[j + 1] == " "]
            if ends and rnd.random() < 0.5:
                i = rnd.choice(ends)
            return s[:i] + rnd.choice(AR_CONFUSE[s[i]]) + s[i + 1 :]
    i = rnd.choice(letters[1:])
    if r < 0.75 or len(letters) >= 6 and r < 0.85:
        return s[:i] + s[i + 1 :]
    if r < 0.88 and i + 1 < len(s) and s[i + 1] != " ":
        return s[:i] + s[i + 1] + s[i] + s[i + 2 :]
    return s[:i] + s[i] + s[i:]


def latin_rule(rnd: random.Random, s: str) -> str:
    rules = [(a, b) for a, b in LAT_RULES if a in s[1:]]
    if not rules:
        return s
    a, b = rnd.choice(rules)
    spots = [m.start() for m in re.finditer(a, s) if m.start() > 0]
    if not spots:
        return s
    i = rnd.choice(spots)
    return s[:i] + b + s[i + len(a) :]


def split_join_latin(rnd: random.Random, s: str, family: bool = False) -> str:
    if " " in s or "-" in s:
        if rnd.random() < 0.7:
            return s.replace(" ", "").replace("-", "")
        return s.replace(" ", "-") if " " in s else s.replace("-", " ")
    m = SPLIT_LAT.match(s)
    if not m:
        if s.endswith(("eddine", "dine")) and len(s) > 7:
            k = s.rfind("eddine") if "eddine" in s else s.rfind("dine")
            return s[:k] + rnd.choice((" ", "-")) + ("eddine" if "eddine" in s else "dine")
        return s
    head, tail = m.groups()
    if not family and head in ("ben", "bel", "bou", "ait"):
        return s
    if head in ("abdel", "abdal") and tail in ("lah", "lah", "ilah"):
        return "abd " + rnd.choice(("allah", "el ilah" if tail == "ilah" else "ellah"))
    if head in ("abdel", "abdal") and rnd.random() < 0.5:
        return "abd " + head[3:] + rnd.choice(("", " ")) + tail
    if head == "abd":  # abderrahim -> abd errahim
        return "abd " + tail
    return head + rnd.choice((" ", " ", "-")) + tail


def split_join_ar(rnd: random.Random, s: str) -> str:
    if " " in s:
        a, _, b = s.partition(" ")
        if a in JOIN_AR_FIRST or b.startswith("ال"):
            return a + b
        return s
    m = SPLIT_AR.match(s)
    if m:
        return m.group(1) + " " + m.group(2)
    return s


def digit_typo(rnd: random.Random, d: str) -> str:
    if len(d) < 2:
        return d
    i = rnd.randrange(len(d))
    r = rnd.random()
    if r < 0.3 and i + 1 < len(d) and d[i] != d[i + 1]:
        return d[:i] + d[i + 1] + d[i] + d[i + 2 :]
    if r < 0.5:
        return d[:i] + d[i + 1 :]
    if r < 0.65:
        return d[:i] + d[i] + d[i:]
    if r < 0.75:
        return d[:i] + str(rnd.randrange(10)) + d[i:]
    return d[:i] + str((int(d[i]) + rnd.choice((1, -1, 3))) % 10) + d[i + 1 :]


def cin_typo(rnd: random.Random, cin: str) -> str:
    k = len(cin.rstrip("0123456789"))
    prefix, digits = cin[:k], cin[k:]
    r = rnd.random()
    if r < 0.55:
        return prefix + digit_typo(rnd, digits)
    if r < 0.65 and len(prefix) == 2:
        return prefix[::-1] + digits
    if r < 0.72 and len(prefix) == 2:
        return prefix[rnd.randrange(2)] + digits
    if r < 0.78:
        return (prefix + rnd.choice("ABEKJ") if len(prefix) == 1 else prefix + prefix[-1]) + digits
    spots = [i for i, c in enumerate(cin) if c in CIN_LOOKALIKE]
    if not spots:
        return prefix + digit_typo(rnd, digits)
    i = rnd.choice(spots)
    return cin[:i] + rnd.choice(CIN_LOOKALIKE[cin[i]]) + cin[i + 1 :]


def phone_format(d: str, f: int) -> str:
    n = d[1:]
    if f == 0:
        return d
    if f == 1:
        return " ".join((d[:2], d[2:4], d[4:6], d[6:8], d[8:]))
    if f == 2:
        return "-".join((d[:2], d[2:4], d[4:6], d[6:8], d[8:]))
    if f == 3:
        return "+212" + n
    if f == 4:
        return "+212 " + " ".join((n[:1], n[1:3], n[3:5], n[5:7], n[7:]))
    if f == 5:
        return "212" + n
    if f == 6:
        return "00212" + n
    if f == 7:
        return ".".join((d[:2], d[2:4], d[4:6], d[6:8], d[8:]))
    return n


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


def generate(rows: int, seed: int, out: Path, truth: Path, data: Path) -> None:
    world = World(data)
    gen = Generator(world, seed)
    rnd = gen.rnd
    nbuckets = max(1, rows // 20000)
    tmpdir = Path(tempfile.mkdtemp(prefix="typed_people_", dir=out.resolve().parent))
    try:
        buckets = [open(tmpdir / f"{i}.tsv", "w", encoding="utf-8") for i in range(nbuckets)]
        written = 0
        while written < rows:
            for person in gen.cluster():
                for rec in gen.records(person):
                    if written >= rows:
                        break
                    buckets[int(rnd.random() * nbuckets)].write("\t".join(rec) + "\n")
                    written += 1
        for b in buckets:
            b.close()
        shuffle = random.Random(f"{seed}-shuffle")
        a = shuffle.randrange(1, 2**40) | 1
        c = shuffle.randrange(2**40)
        position = 0
        with (
            open(out, "w", encoding="utf-8", newline="") as fo,
            open(truth, "w", encoding="utf-8", newline="") as ft,
        ):
            wo = csv.writer(fo, lineterminator="\n")
            wt = csv.writer(ft, lineterminator="\n")
            wo.writerow(
                ["id", "first_name", "last_name", "birth_date", "cin", "phone", "commune_code"]
            )
            wt.writerow(["id", "person_id"])
            for i in range(nbuckets):
                with open(tmpdir / f"{i}.tsv", encoding="utf-8") as f:
                    lines = f.read().splitlines()
                shuffle.shuffle(lines)
                out_rows = []
                truth_rows = []
                for line in lines:
                    pid, *fields = line.split("\t")
                    rid = f"{(position * a + c) % 2**40:010x}"
                    position += 1
                    out_rows.append((rid, *fields))
                    truth_rows.append((rid, pid))
                wo.writerows(out_rows)
                wt.writerows(truth_rows)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m bench.typed_people", description=__doc__.split("\n")[0]
    )
    ap.add_argument("--rows", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="people CSV to write")
    ap.add_argument("--truth", type=Path, required=True, help="id,person_id CSV to write")
    ap.add_argument(
        "--data", type=Path, default=Path(os.environ.get("TYPED_PEOPLE_DATA", DEFAULT_DATA))
    )
    args = ap.parse_args(argv)
    started = time.perf_counter()
    generate(args.rows, args.seed, args.out, args.truth, args.data)
    print(
        f"{args.rows} rows in {time.perf_counter() - started:.1f} s -> {args.out}", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
