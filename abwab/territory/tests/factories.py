import factory

from abwab.territory.models import Body, BodyKind, Office


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    name_ar = factory.Sequence(lambda n: f"مقر {n}")
    name_fr = factory.Sequence(lambda n: f"Siège {n}")
    address = factory.Sequence(lambda n: f"{n} شارع الحسن الثاني")


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    kind = BodyKind.LOCAL_SECRETARIAT
    name_ar = factory.Sequence(lambda n: f"الكتابة المحلية {n}")
    name_fr = factory.Sequence(lambda n: f"Secrétariat local {n}")
