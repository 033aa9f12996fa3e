"""Abwab: a party's territorial organisation and its open-doors campaigns."""
