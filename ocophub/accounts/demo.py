"""One demo user per role. Passwords are for the demo only and printed by `make run`."""

from ocophub.places.models import Commune, Era, Province

from .models import Role, User

DEMO_USERS = [
    ("province", Role.PROVINCE_OFFICE, "Nguyễn Thị Lan", "Văn phòng Điều phối OCOP tỉnh"),
    ("commune", Role.COMMUNE_OFFICER, "Bùi Văn Hùng", "Cán bộ nông nghiệp xã"),
    ("council1", Role.COUNCIL_MEMBER, "Đinh Thị Hoa", "Thành viên Hội đồng"),
    ("council2", Role.COUNCIL_MEMBER, "Quách Văn Minh", "Thành viên Hội đồng"),
    ("producer", Role.PRODUCER, "Bùi Thị Thanh", "HTX Thanh An"),
    ("inspector", Role.INSPECTOR, "Lê Văn Kiểm", "Chi cục Trồng trọt và Bảo vệ thực vật"),
    ("union", Role.UNION_OFFICER, "Hà Thị Mai", "Hội Nông dân tỉnh"),
]
# The Lạc Sơn communes (as they are from July 2025) the demo commune officer governs.
COMMUNE_OFFICER_COMMUNES = [5323, 5347, 5266]


def password_for(username):
    return f"ocop-{username}-2025"


def load():
    phu_tho = Province.objects.get(era=Era.CURRENT, code=25)
    created = 0
    for username, role, full_name, _title in DEMO_USERS:
        first, last = full_name.rsplit(" ", 1)[1], full_name.rsplit(" ", 1)[0]
        user, new = User.objects.get_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": first,
                "last_name": last,
                "province": phu_tho,
                "email": f"{username}@demo.ocophub.vn",
            },
        )
        if new:
            user.set_password(password_for(username))
            user.save()
            created += 1
        if role == Role.COMMUNE_OFFICER:
            user.communes.set(
                Commune.objects.filter(era=Era.CURRENT, code__in=COMMUNE_OFFICER_COMMUNES)
            )
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@demo.ocophub.vn", password_for("admin"))
        created += 1
    return f"{created} users created"
