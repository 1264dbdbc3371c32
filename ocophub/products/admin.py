from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Product, ProductGroup, ProductPhoto


class PhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = ("name", "producer", "commune", "status", "stars", "is_sample")
    list_filter = ("status", "stars", "is_sample")
    search_fields = ("search_text", "gtin")
    raw_id_fields = ("producer", "commune", "trademark")
    inlines = [PhotoInline]


@admin.register(ProductGroup)
class ProductGroupAdmin(admin.ModelAdmin):
    list_display = ("classification", "code", "name", "name_en", "parent")
    list_filter = ("classification",)
