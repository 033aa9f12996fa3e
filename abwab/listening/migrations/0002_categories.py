from django.db import migrations

CATEGORIES = [
    ("water", "الماء والتطهير", "Eau et assainissement"),
    ("roads", "الطرق والمسالك", "Routes et pistes"),
    ("health", "الصحة", "Santé"),
    ("education", "التعليم", "Éducation"),
    ("employment", "التشغيل", "Emploi"),
    ("housing", "السكن", "Logement"),
    ("administration", "الإدارة والخدمات", "Administration et services"),
    ("other", "أخرى", "Autre"),
]


def add(apps, schema_editor):
    Category = apps.get_model("listening", "Category")
    for code, name_ar, name_fr in CATEGORIES:
        Category.objects.update_or_create(code=code, defaults={"name_ar": name_ar, "name_fr": name_fr})


class Migration(migrations.Migration):
    dependencies = [("listening", "0001_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
