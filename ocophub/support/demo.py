"""Demo data for the farmers' union (the `union` demo user, the provincial union).

- The 2018–2023 provincial figures, as reported by the provincial Farmers' Union (Báo
  Hòa Bình): reported figures, never mixed into the computed ones.
- Founding cases (sample): Dổi Chí Đạo ending as the registered cooperative of the
  registry, a hill-chicken cooperative being established in Quyết Thắng, groups in Lạc
  Sơn and Tân Lạc, one dissolved; members with join and leave dates.
- Courses (sample) in Lạc Sơn and Tân Lạc with sessions and attendance; one runs around
  the day the demo is loaded, so today's session can be scanned in. One person entered
  twice with the same phone, proposed as a duplicate, not merged.
- Programmes and agreements (sample targets) with the post office and Viettel.

Loading twice adds nothing (each record is looked up by its name first).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from ocophub.accounts.models import User
from ocophub.places.models import Commune, Era
from ocophub.producers.demo import MEMBERS_CHI_DAO
from ocophub.producers.models import Producer

from .models import (
    Attendance,
    Course,
    DuplicateProposal,
    Help,
    Membership,
    Person,
    Programme,
    ReportedFigure,
    Session,
    Stage,
    SupportCase,
    Target,
)

D = datetime.date

SOURCE = "Báo Hòa Bình (HBO), theo thống kê của Hội Nông dân tỉnh Hòa Bình, giai đoạn 2018–2023"
# (indicator, value): keys shared with the computed figures where they mean the same.
REPORTED = [
    ("cooperatives_founded", 72),
    ("cooperative_members", 586),
    ("groups_founded", 329),
    ("group_members", 4973),
    ("courses", 1136),
    ("members_trained", 66000),
    ("cooperatives_in_province", 226),
    ("groups_in_province", 492),
    ("products_listed", 2980),
]

# Current communes (from July 2025) and legacy ones (before).
QUYET_THANG, LAC_SON, TAN_LAC = 5323, 5266, 5128
CHI_DAO, VU_BAN = 5323, 5266

LAC_SON_PEOPLE = [
    ("Bùi Thị Hằng", "female", "Mường"),
    ("Bùi Văn Khánh", "male", "Mường"),
    ("Quách Thị Liên", "female", "Mường"),
    ("Đinh Văn Thắng", "male", "Mường"),
    ("Bùi Thị Xuân", "female", "Mường"),
    ("Nguyễn Văn Bình", "male", "Kinh"),
    ("Bùi Thị Mến", "female", "Mường"),
    ("Hà Văn Tuấn", "male", "Mường"),
    ("Quách Thị Phượng", "female", "Mường"),
    ("Bùi Văn Hưng", "male", "Mường"),
]
TAN_LAC_PEOPLE = [
    ("Đinh Thị Nhung", "female", "Mường"),
    ("Xa Văn Long", "male", "Mường"),
    ("Hoàng Thị Thu", "female", "Tày"),
    ("Bàn Văn Sơn", "male", "Dao"),
    ("Đinh Thị Hiền", "female", "Mường"),
    ("Trần Văn Quang", "male", "Kinh"),
    ("Xa Thị Hoa", "female", "Mường"),
    ("Đinh Văn Cường", "male", "Mường"),
]
QUYET_THANG_FOUNDERS = [
    ("Bùi Văn Quyết", "male", "Mường"),
    ("Bùi Thị Thương", "female", "Mường"),
    ("Quách Văn Chiến", "male", "Mường"),
    ("Bùi Thị Lan", "female", "Mường"),
    ("Đinh Văn Toàn", "male", "Mường"),
    ("Bùi Thị Yến", "female", "Mường"),
]
# Attendance is drawn from this cycle so that some complete their course and some do not.
PATTERN = ["present", "present", "late", "present", "absent", "present", "excused"]


def commune(era, code):
    return Commune.objects.get(era=era, code=code)


class Loader:
    def __init__(self):
        self.union = User.objects.filter(username="union").first()
        self.created = {"cases": 0, "courses": 0, "people": 0, "figures": 0}
        self.serial = 0

    # ---------------------------------------------------------------- people

    def person(self, name, gender, ethnicity, where, phone=None):
        if phone is None:
            self.serial += 1
            phone = f"09000{self.serial:05d}"  # not real numbers
        person, new = Person.objects.get_or_create(
            full_name=name,
            phone=phone,
            defaults={
                "gender": gender,
                "ethnicity": ethnicity,
                "commune": where,
                "entered_by": self.union,
                "is_sample": True,
            },
        )
        self.created["people"] += new
        return person

    def people(self, rows, where):
        return [self.person(n, g, e, where) for n, g, e in rows]

    # ---------------------------------------------------------------- cases

    def case(self, name, members=(), help=(), **fields):
        case, new = SupportCase.objects.get_or_create(
            name=name, defaults={"officer": self.union, "is_sample": True, **fields}
        )
        if new:
            self.created["cases"] += 1
            case.full_clean()
            for person, joined, left in members:
                Membership.objects.create(case=case, person=person, joined_on=joined, left_on=left)
            for kind, day, note in help:
                Help.objects.create(
                    case=case, kind=kind, given_on=day, note=note, officer=self.union
                )
        return case

    def cases(self):
        chi_dao_people = self.people(MEMBERS_CHI_DAO, commune(Era.LEGACY, CHI_DAO))
        later = self.people(
            [("Bùi Văn Lực", "male", "Mường"), ("Bùi Thị Sen", "female", "Mường")],
            commune(Era.LEGACY, CHI_DAO),
        )
        registry = Producer.objects.filter(name="Hợp tác xã Dổi Chí Đạo").first()
        chi_dao = self.case(
            "Hợp tác xã Dổi Chí Đạo",
            org_type="cooperative",
            commune=commune(Era.LEGACY, CHI_DAO),
            stage=Stage.OPERATING,
            founding_group_on=D(2017, 10, 2),
            conference_on=D(2018, 3, 20),
            registered_on=D(2018, 6, 1),
            registration_number=registry.registration_number if registry else "5400100022",
            producer=registry,
            operating_on=D(2018, 7, 1),
            members=[
                (p, D(2018, 6, 1), D(2022, 1, 1) if i == 6 else None)
                for i, p in enumerate(chi_dao_people)
            ]
            + [(p, D(2021, 3, 1), None) for p in later],
            help=[
                ("advice", D(2017, 10, 2), "Tư vấn thành lập hợp tác xã từ tổ hợp tác"),
                ("dossier", D(2018, 4, 10), "Hoàn thiện điều lệ, hồ sơ đăng ký"),
                ("capital", D(2019, 3, 15), "Kết nối vốn vay Quỹ Hỗ trợ nông dân"),
            ],
        )
        founders = self.people(QUYET_THANG_FOUNDERS, commune(Era.CURRENT, QUYET_THANG))
        being = self.case(
            "Hợp tác xã Gà Ri Quyết Thắng",
            org_type="cooperative",
            commune=commune(Era.CURRENT, QUYET_THANG),
            stage=Stage.CONFERENCE,
            founding_group_on=D(2025, 9, 15),
            conference_on=D(2025, 11, 20),
            members=[(p, D(2025, 11, 20), None) for p in founders],
            help=[
                ("advice", D(2025, 9, 15), "Hướng dẫn thành lập ban sáng lập"),
                ("dossier", D(2025, 11, 25), "Chuẩn bị hồ sơ đăng ký hợp tác xã"),
            ],
        )
        lac_son = self.people(LAC_SON_PEOPLE, commune(Era.CURRENT, LAC_SON))
        chili = self.case(
            "Tổ hợp tác trồng ớt Lạc Sơn",
            org_type="coop_group",
            commune=commune(Era.CURRENT, LAC_SON),
            stage=Stage.FOUNDING_GROUP,
            founding_group_on=D(2025, 10, 5),
            members=[(p, D(2025, 10, 5), None) for p in lac_son[:4]],
            help=[("advice", D(2025, 10, 5), "Tư vấn hợp đồng hợp tác")],
        )
        tan_lac = self.people(TAN_LAC_PEOPLE, commune(Era.CURRENT, TAN_LAC))
        fish = self.case(
            "Tổ hợp tác nuôi cá lồng Tân Lạc",
            org_type="coop_group",
            commune=commune(Era.CURRENT, TAN_LAC),
            stage=Stage.OPERATING,
            founding_group_on=D(2025, 7, 10),
            conference_on=D(2025, 8, 1),
            registered_on=D(2025, 8, 15),
            registration_number="THT-15/2025",
            operating_on=D(2025, 9, 1),
            members=[
                (p, D(2025, 8, 15), D(2025, 11, 1) if i == 3 else None)
                for i, p in enumerate(tan_lac[:5])
            ],
            help=[("capital", D(2025, 9, 20), "Kết nối vốn mua lồng nuôi")],
        )
        self.case(
            "Tổ hợp tác mây tre đan Vụ Bản",
            org_type="coop_group",
            commune=commune(Era.LEGACY, VU_BAN),
            stage=Stage.DISSOLVED,
            founding_group_on=D(2019, 5, 1),
            dissolved_on=D(2020, 6, 1),
        )
        return chi_dao, being, chili, fish, lac_son, tan_lac

    # ---------------------------------------------------------------- training

    def course(self, topic, days, people, **fields):
        course, new = Course.objects.get_or_create(
            topic=topic,
            defaults={
                "starts_on": days[0],
                "ends_on": days[-1],
                "is_sample": True,
                "organiser": "Hội Nông dân tỉnh",
                **fields,
            },
        )
        if not new:
            return course
        self.created["courses"] += 1
        course.full_clean()
        today = timezone.localdate()
        for j, day in enumerate(days):
            session = Session.objects.create(course=course, held_on=day)
            if day >= today:
                continue  # not held yet (today's is for the QR check-in)
            Attendance.objects.bulk_create(
                Attendance(session=session, person=p, status=PATTERN[(i + 2 * j) % len(PATTERN)])
                for i, p in enumerate(people)
            )
        return course

    def courses(self, lac_son, tan_lac):
        chicken = self.course(
            "Kỹ thuật nuôi gà Ri thả đồi an toàn sinh học",
            [D(2025, 10, 6), D(2025, 10, 8), D(2025, 10, 10)],
            lac_son,
            field="husbandry",
            commune=commune(Era.CURRENT, LAC_SON),
            place="Nhà văn hóa xã Lạc Sơn",
            trainer="KS. Bùi Văn Lâm",
            partner="Trung tâm Dịch vụ nông nghiệp",
            budget=Decimal("15000000"),
        )
        # A Lạc Sơn member comes again, entered anew under a shortened name: proposed
        # as a duplicate (same phone), left for an officer to confirm.
        hang = lac_son[0]
        again = self.person(
            "Bùi T. Hằng", hang.gender, hang.ethnicity, commune(Era.CURRENT, TAN_LAC), hang.phone
        )
        chili = self.course(
            "Trồng và chăm sóc ớt theo hướng VietGAP",
            [D(2025, 11, 3), D(2025, 11, 6), D(2025, 11, 10), D(2025, 11, 14)],
            [*tan_lac, again, *lac_son[1:3]],
            field="farming",
            commune=commune(Era.CURRENT, TAN_LAC),
            place="Hội trường UBND xã Tân Lạc",
            trainer="ThS. Đinh Thị Hường",
            partner="Viettel Hòa Bình",
            budget=Decimal("20000000"),
        )
        if not DuplicateProposal.objects.filter(duplicate=again).exists():
            DuplicateProposal.propose_for(again)
        today = timezone.localdate()
        week = datetime.timedelta(days=7)
        fish = self.course(
            "Nuôi cá lồng trên hồ Hòa Bình",
            [today - week, today, today + week],
            tan_lac[:6],
            field="aquaculture",
            commune=commune(Era.CURRENT, TAN_LAC),
            place="Bến thuyền xóm Ải",
            trainer="KS. Xa Văn Thành",
        )
        return chicken, chili, fish

    # ---------------------------------------------------------------- programmes

    def programme(self, name, targets, cases=(), courses=(), **fields):
        programme, new = Programme.objects.get_or_create(
            name=name, defaults={"is_sample": True, **fields}
        )
        if new:
            for indicator, target in targets:
                Target.objects.create(programme=programme, indicator=indicator, target=target)
            programme.cases.set(cases)
            programme.courses.set(courses)
        return programme

    def programmes(self, cases, courses):
        where = commune(Era.CURRENT, LAC_SON)
        self.programme(
            "Chương trình hỗ trợ thành lập hợp tác xã, tổ hợp tác 2025–2026",
            [("cooperatives_founded", 2), ("groups_founded", 3), ("members_trained", 40)],
            cases=cases,
            courses=courses,
            kind="programme",
            starts_on=D(2025, 7, 1),
            ends_on=D(2026, 12, 31),
            commune=where,
        )
        self.programme(
            "Thỏa thuận hợp tác với Bưu điện tỉnh: đưa nông sản lên Postmart.vn",
            [("products_listed", 100), ("courses_held", 2)],
            courses=courses[:2],
            kind="agreement",
            partner="Bưu điện tỉnh Hòa Bình",
            starts_on=D(2023, 3, 1),
            commune=where,
            area="province",
            platforms=["postmart"],
        )
        self.programme(
            "Thỏa thuận hợp tác với Viettel Hòa Bình: bán hàng trên Voso.vn",
            [("products_listed", 50)],
            kind="agreement",
            partner="Viettel Hòa Bình",
            starts_on=D(2023, 6, 1),
            commune=where,
            area="province",
            platforms=["voso"],
        )

    def reported(self):
        for indicator, value in REPORTED:
            _figure, new = ReportedFigure.objects.get_or_create(
                indicator=indicator,
                unit_ref="legacy:17",
                period_from=D(2018, 1, 1),
                period_to=D(2023, 12, 31),
                defaults={"value": value, "source": SOURCE},
            )
            self.created["figures"] += new


def load():
    loader = Loader()
    loader.reported()
    _chi_dao, being, chili, fish, lac_son, tan_lac = loader.cases()
    courses = loader.courses(lac_son, tan_lac)
    loader.programmes([being, chili, fish], list(courses))
    c = loader.created
    return (
        f"{c['cases']} founding cases, {c['courses']} courses, {c['people']} people, "
        f"{c['figures']} reported figures created"
    )
