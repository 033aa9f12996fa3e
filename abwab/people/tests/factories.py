import datetime

import factory

from abwab.people.models import Person
from abwab.people.services import person_create
from abwab.territory.models import Territory

FIRST = [
    ("محمد", "Mohamed"),
    ("فاطمة", "Fatima"),
    ("يوسف", "Youssef"),
    ("خديجة", "Khadija"),
    ("أمين", "Amine"),
    ("سلمى", "Salma"),
]
LAST = [
    ("العلوي", "Alaoui"),
    ("بناني", "Bennani"),
    ("برادة", "Berrada"),
    ("التازي", "Tazi"),
    ("الفاسي", "Fassi"),
]


class PersonFactory(factory.django.DjangoModelFactory):
    """Persons made through the service, so keys and cleaning are the real ones."""

    class Meta:
        model = Person

    first_name_ar = factory.Sequence(lambda n: FIRST[n % len(FIRST)][0])
    first_name_latin = factory.Sequence(lambda n: FIRST[n % len(FIRST)][1])
    last_name_ar = factory.Sequence(lambda n: LAST[n % len(LAST)][0])
    last_name_latin = factory.Sequence(lambda n: LAST[n % len(LAST)][1])
    gender = "M"
    # Adults born 1950–1994, however many persons a test session makes.
    birth_date = factory.Sequence(
        lambda n: datetime.date(1950, 1, 1) + datetime.timedelta(days=(97 * n) % (365 * 45))
    )
    territory = factory.LazyFunction(lambda: Territory.objects.get(code="03.531.01.05"))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return person_create(actor=kwargs.pop("actor", None), **kwargs)
