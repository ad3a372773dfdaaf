import io
from pathlib import Path

import pypdf

from assessments import services
from assessments.models import Role
from assessments.reports import context, render
from tests.cast import values_up_to


def test_dump(round_open):
    cast = round_open
    a = cast.head_assessment
    fw = a.cycle.framework
    services.save_ratings(
        assessment=a,
        role=Role.SELF,
        by=cast.head.user,
        values=values_up_to(fw, {"ACH": 5, "COM": 5, "SDEV": 4, "LOCAL": 3}),
    )
    services.save_ratings(
        assessment=a,
        role=Role.SUPERVISOR,
        by=cast.palad.user,
        values=values_up_to(fw, {"ACH": 4, "COM": 2, "SDEV": 1, "LOCAL": 3}),
        comments={fw.competencies.get(code="COM").pk: "ควรฝึกการนำเสนอ"},
        work_results=__import__("decimal").Decimal("88"),
    )
    services.submit_track(assessment=a, role=Role.SUPERVISOR, by=cast.palad.user)
    html = context.person_form_html(context.assessment_for_print(a.pk))
    Path("/tmp/scratch/form.html").write_text(html)
    pdf = render.html_to_pdf(html)
    Path("/tmp/scratch/form.pdf").write_bytes(pdf)
    r = pypdf.PdfReader(io.BytesIO(pdf))
    out = []
    for i, p in enumerate(r.pages):
        out.append(f"===== page {i + 1} {p.mediabox}")
        out.append(p.extract_text())
        fonts = p["/Resources"].get("/Font", {})
        for k, f in fonts.items():
            f = f.get_object()
            out.append(f"FONT {k} {f.get('/BaseFont')} {f.get('/Subtype')} {list(f.keys())}")
    Path("/tmp/scratch/form.txt").write_text("\n".join(out))
    html = context.person_form_html(context.assessment_for_print(cast.malee_assessment.pk))
    Path("/tmp/scratch/empty.txt").write_text(
        "\n".join(
            p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render.html_to_pdf(html))).pages
        )
    )
