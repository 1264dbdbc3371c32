import io

import pypdf

from ocophub.support.models import Attendance, Presence
from ocophub.support.pdf import completion_letters_pdf


def text_of(data):
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_a_completion_letter_per_person_in_the_certificates_frame_and_heading(
    make_course, make_person
):
    course = make_course(sessions=1, topic="Nuôi ong lấy mật", organiser="Hội Nông dân xã")
    people = [make_person("Bùi Thị Hoa"), make_person("Đinh Văn Nam")]
    for person in people:
        Attendance.objects.create(
            session=course.sessions.get(), person=person, status=Presence.PRESENT
        )
    pages = text_of(completion_letters_pdf(course, people))
    assert len(pages) == 2
    for page, person in zip(pages, people, strict=True):
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
        assert "Độc lập – Tự do – Hạnh phúc" in page
        assert person.full_name in page and "Nuôi ong lấy mật" in page
