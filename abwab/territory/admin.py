from django.contrib import admin

from abwab.territory.models import Body, Office, PartyUnit, Territory


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_fr", "kind", "population_2024")
    list_filter = ("level", "kind")
    search_fields = ("code", "name_ar", "name_fr")
    readonly_fields = ("code", "path", "parent", "group", "level", "kind")


@admin.register(PartyUnit)
class PartyUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_fr", "anchor")
    autocomplete_fields = ("territories",)
    readonly_fields = ("anchor",)


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ("name_ar", "name_fr", "territory", "address")
    search_fields = ("name_ar", "name_fr", "territory__name_fr", "territory__name_ar")
    autocomplete_fields = ("territory",)


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ("name_ar", "name_fr", "kind", "territory", "party_unit")
    list_filter = ("kind",)
    autocomplete_fields = ("territory",)
