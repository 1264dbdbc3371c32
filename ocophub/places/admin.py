from django.contrib import admin

from .models import Commune, District, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "era", "successor")
    list_filter = ("era",)
    search_fields = ("search_text", "code")


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "province")
    search_fields = ("search_text",)


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "era", "district", "province", "successor", "mapping_source")
    list_filter = ("era", "mapping_source")
    search_fields = ("search_text", "code")
    raw_id_fields = ("successor", "district", "province")
