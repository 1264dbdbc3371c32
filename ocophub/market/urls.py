from django.urls import path

from . import feeds, staff_views, views

app_name = "market"
EN = {"english": True}
urlpatterns = [
    path("san-pham/", views.catalogue, name="catalogue"),
    path("en/products/", views.catalogue, EN, name="catalogue_en"),
    path("san-pham/<slug:slug>/", views.product, name="product"),
    path("en/products/<slug:slug>/", views.product, EN, name="product_en"),
    path("nha-san-xuat/<int:pk>/", views.producer, name="producer"),
    path("en/producers/<int:pk>/", views.producer, EN, name="producer_en"),
    path("xa/<int:code>/", views.commune, name="commune"),
    path("en/communes/<int:code>/", views.commune, EN, name="commune_en"),
    path("tinh/<int:code>/", views.province, name="province"),
    path("en/provinces/<int:code>/", views.province, EN, name="province_en"),
    path("noi-ban/", views.where_to_buy, name="where_to_buy"),
    path("en/where-to-buy/", views.where_to_buy, EN, name="where_to_buy_en"),
    path("sitemap.xml", views.sitemap_index, name="sitemap_index"),
    path("sitemap-<slug:section>.xml", views.sitemap, name="sitemap"),
    path("feeds/merchant.tsv", feeds.merchant_tsv, name="feed_tsv"),
    path("feeds/merchant.xml", feeds.merchant_xml, name="feed_xml"),
    path("feeds/products.json", feeds.products_json, name="feed_json"),
]

# Signed-in pages: listings, enquiries and trade connections (staff_views).
urlpatterns += [
    path("market/", staff_views.home, name="staff"),
    path("market/listings/", staff_views.listing_list, name="listings"),
    path("market/listings/new/", staff_views.listing_add, name="listing_add"),
    path("market/listings/products/", staff_views.listing_products, name="listing_products"),
    path("market/listings/<int:pk>/", staff_views.listing_edit, name="listing_edit"),
    path("market/listings/<int:pk>/status/", staff_views.listing_status, name="listing_status"),
    path("market/shops/", staff_views.shop_list, name="shops"),
    path("market/shops/new/", staff_views.shop_add, name="shop_add"),
    path("market/shops/products/", staff_views.shop_products, name="shop_products"),
    path("market/shops/<int:pk>/", staff_views.shop_edit, name="shop_edit"),
    path("market/shops/<int:pk>/delete/", staff_views.shop_delete, name="shop_delete"),
    path("market/enquiries/", staff_views.enquiry_inbox, name="enquiries"),
    path("market/enquiries/mine/", staff_views.my_enquiries, name="my_enquiries"),
    path("market/enquiries/<int:pk>/", staff_views.enquiry_detail, name="enquiry"),
    path("market/enquiries/<int:pk>/answer/", staff_views.enquiry_answer, name="enquiry_answer"),
    path("market/enquiries/<int:pk>/close/", staff_views.enquiry_close, name="enquiry_close"),
    path("market/enquiries/new/<slug:slug>/", staff_views.enquiry_new, name="enquiry_new"),
    path("market/connections/", staff_views.connections, name="connections"),
]
