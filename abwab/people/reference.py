"""Reference lists the product ships with (editable afterwards in the admin)."""

SKILLS = [
    ("engineer", "مهندس(ة)", "Ingénieur(e)"),
    ("doctor", "طبيب(ة)", "Médecin"),
    ("pharmacist", "صيدلي(ة)", "Pharmacien(ne)"),
    ("nurse", "ممرض(ة)", "Infirmier(ère)"),
    ("lawyer", "محامي(ة)", "Avocat(e)"),
    ("teacher", "أستاذ(ة)", "Enseignant(e)"),
    ("professor", "أستاذ(ة) جامعي(ة)", "Enseignant(e)-chercheur(se)"),
    ("accountant", "محاسب(ة)", "Comptable"),
    ("it", "تقني(ة) معلوميات", "Informaticien(ne)"),
    ("architect", "مهندس(ة) معماري(ة)", "Architecte"),
    ("entrepreneur", "مقاول(ة)", "Entrepreneur(e)"),
    ("civil_servant", "موظف(ة)", "Fonctionnaire"),
    ("farmer", "فلاح(ة)", "Agriculteur(trice)"),
    ("artisan", "حرفي(ة)", "Artisan(e)"),
    ("journalist", "صحفي(ة)", "Journaliste"),
    ("student", "طالب(ة)", "Étudiant(e)"),
]


def ensure_skills(skill_model) -> None:
    """Create or refresh the shipped skills (a migration passes its historical model)."""
    for code, name_ar, name_fr in SKILLS:
        skill_model.objects.update_or_create(
            code=code, defaults={"name_ar": name_ar, "name_fr": name_fr}
        )
