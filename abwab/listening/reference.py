"""The concern categories the product ships with (the list is editable in the admin)."""

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


def ensure_categories(category_model) -> None:
    """Create or refresh the shipped categories (a migration passes its historical model)."""
    for code, name_ar, name_fr in CATEGORIES:
        category_model.objects.update_or_create(
            code=code, defaults={"name_ar": name_ar, "name_fr": name_fr}
        )
