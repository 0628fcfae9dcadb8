"""Generate ``examples/sample-pack.pdf``: a synthetic council report pack.

Everything in it is invented (Fernmouth District Council does not exist). It is
laid out the way ModernGov report packs are, so it exercises every ingest
signal: an agenda front sheet with "(Pages N - M)", "Page N" footers that start
after the front sheet, "Agenda Item N" stamps, a bookmark per item and per
appendix, a blank page, running headers, acronyms defined in the text, and
figures.

Run: ``python examples/make_sample_pack.py`` (needs ``fpdf2``, in the dev extra).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

HERE = Path(__file__).resolve().parent


@dataclass
class Paper:
    title: str
    pages: list[str]
    appendices: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class Item:
    number: int
    title: str
    paper: Paper | None = None


MINUTES = Paper(
    "Minutes of the Meeting held on 9 April 2025",
    [
        """MINUTES of a meeting of the Cabinet held in the Council Chamber, Town Hall, Fernmouth on Wednesday, 9 April 2025.

PRESENT: Councillor Helen Marsh (Leader, in the Chair), Councillor David Okafor (Deputy Leader and Cabinet Member for Finance), Councillor Priya Shah (Cabinet Member for Communities) and Councillor Tom Bennett (Cabinet Member for Housing).

1. Apologies
Apologies were received from Councillor Sarah Lowe.

2. Minutes
RESOLVED that the minutes of the meeting held on 12 March 2025 be approved as a correct record.

3. Leisure Centre Refurbishment
The Cabinet considered a report on the refurbishment of Fernmouth Leisure Centre. The total cost of the scheme was estimated at £2.4 million, of which £600,000 would be met from a Sport England grant.
RESOLVED that the refurbishment scheme be approved and the Director of Place be authorised to award the construction contract.""",
    ],
)

BUDGET = Paper(
    "Revenue Budget Monitoring 2025-26 Quarter 1",
    [
        """FERNMOUTH DISTRICT COUNCIL

Report to: Cabinet, 14 May 2025
Report from: Councillor David Okafor, Cabinet Member for Finance
Author: Amanda Reid, Chief Finance Officer

Revenue Budget Monitoring 2025-26 Quarter 1

1. Purpose of the report
1.1 This report sets out the forecast outturn position for the General Fund revenue budget for 2025-26, based on spending to the end of June 2025, and the action proposed to bring spending back within budget.

2. Recommendations
2.1 Cabinet is asked to note the forecast overspend of £1.35 million on the General Fund revenue budget for 2025-26.
2.2 Cabinet is asked to approve the drawdown of £400,000 from the Budget Smoothing Reserve to meet the cost of temporary accommodation.

3. Background
3.1 Council approved a net General Fund budget of £18.6 million for 2025-26 on 26 February 2025, as part of the Medium Term Financial Strategy (MTFS) 2025-29. The MTFS assumes that the Council will make savings of £2.1 million over the four years.
3.2 The Council also maintains a Housing Revenue Account (HRA), a ring-fenced account for the income and spending on its own council homes, which is reported separately under item 6.""",
        """4. Forecast outturn
4.1 The forecast outturn for 2025-26 is £19.95 million, an overspend of £1.35 million or 7.3% of the net budget.
4.2 The largest pressure is temporary accommodation for homeless households, where the forecast spend is £2.8 million against a budget of £1.9 million. The number of households in temporary accommodation has risen from 112 in April 2024 to 164 in June 2025.
4.3 Waste and recycling services are forecast to overspend by £310,000 because of higher vehicle fuel and maintenance costs.
4.4 Car parking income is forecast to be £180,000 below budget, as visitor numbers to the town centre remain lower than before the pandemic.
4.5 These pressures are partly offset by additional investment income of £220,000, as interest rates have remained higher than assumed in the Treasury Management Strategy.

5. Action to reduce the overspend
5.1 Officers are proposing a recovery plan with three elements: a review of all vacant posts, with recruitment paused except where a post is needed for a statutory service; a new partnership with Fernmouth Housing Trust to lease 40 homes for use as temporary accommodation, which is expected to save £350,000 a year compared with bed and breakfast placements; and a review of discretionary fees and charges.
5.2 If the recovery plan delivers as expected, the forecast overspend would fall to around £600,000 by the end of the year.""",
        """6. Reserves
6.1 The General Fund balance stood at £3.2 million on 1 April 2025, which is within the range of 10% to 20% of the net budget recommended by the Chief Finance Officer.
6.2 The Budget Smoothing Reserve held £1.1 million on 1 April 2025. The proposed drawdown of £400,000 would leave £700,000 in the reserve.

7. Financial implications
7.1 These are set out in the body of the report. The Section 151 Officer, the officer with legal responsibility for the proper administration of the Council's financial affairs, has reviewed this report.

8. Legal implications
8.1 The Council has a duty under the Local Government Act 2003 to monitor its budget during the year and take action if there is a deterioration in its financial position.

Background documents: Budget Report 2025-26, Council, 26 February 2025.""",
    ],
    appendices=[
        (
            "Appendix A - Forecast Outturn by Service",
            [
                """Appendix A - Forecast Outturn by Service 2025-26

Service area: budget, forecast, variance
Housing and homelessness: £1.90m, £2.80m, +£0.90m
Waste and recycling: £3.45m, £3.76m, +£0.31m
Parking services: -£1.20m, -£1.02m, +£0.18m
Leisure and culture: £1.75m, £1.73m, -£0.02m
Planning and building control: £1.30m, £1.30m, £0.00m
Corporate and democratic core: £2.60m, £2.58m, -£0.02m
Investment income: -£0.80m, -£1.02m, -£0.22m
Other services: £8.20m, £8.40m, +£0.20m
Total: £18.60m, £19.95m, +£1.35m

The variance on other services includes £200,000 for the pay award, which was agreed nationally at a higher level than the 3% assumed in the budget.""",
            ],
        )
    ],
)

PSPO = Paper(
    "Public Spaces Protection Order: Riverside Park",
    [
        """FERNMOUTH DISTRICT COUNCIL

Report to: Cabinet, 14 May 2025
Report from: Councillor Priya Shah, Cabinet Member for Communities
Author: James Whitfield, Community Safety Manager

Public Spaces Protection Order: Riverside Park

1. Summary
1.1 This report proposes a Public Spaces Protection Order (PSPO) for Riverside Park and the adjoining towpath, following a rise in anti-social behaviour (ASB) reported by residents and businesses. A PSPO is an order made by a council under the Anti-social Behaviour, Crime and Policing Act 2014 which prohibits specified activities in a defined public place.

2. Recommendation
2.1 Cabinet is asked to approve a public consultation of six weeks on the proposed PSPO, starting on 2 June 2025, and to receive a further report with the consultation results before any order is made.

3. Evidence
3.1 Reports of ASB in Riverside Park rose from 86 in 2023-24 to 143 in 2024-25, an increase of 66%. Most reports concerned groups drinking alcohol, littering and intimidating behaviour towards park users in the evenings.
3.2 Fernmouth Community Safety Partnership (CSP), which brings together the Council, the police, the fire service and health partners, has identified the park as a priority location in its 2025 plan.""",
        """4. Proposed restrictions
4.1 The proposed order would, for a period of three years:
- require any person drinking alcohol in the park to stop and hand over the alcohol when asked by a police officer or an authorised council officer;
- exclude dogs from the children's play area and require dogs to be kept on a lead on the towpath;
- prohibit the lighting of fires and barbecues outside the designated area.
4.2 A breach of the order would be an offence. The Council would normally offer a Fixed Penalty Notice (FPN) of £100, reduced to £60 if paid within 14 days, as an alternative to prosecution.

5. Equalities
5.1 An Equality Impact Assessment (EqIA) has been carried out. It identifies a risk that people experiencing homelessness who use the park could be disproportionately affected. The report proposes that officers refer such people to support services rather than issue penalties.

6. Financial implications
6.1 The cost of the consultation, signage and enforcement in the first year is estimated at £18,500, to be met from the existing community safety budget.""",
    ],
)

HRA = Paper(
    "Housing Revenue Account Business Plan 2025-35",
    [
        """FERNMOUTH DISTRICT COUNCIL

Report to: Cabinet, 14 May 2025
Report from: Councillor Tom Bennett, Cabinet Member for Housing
Author: Lucy Carter, Head of Housing Services

Housing Revenue Account Business Plan 2025-35

1. Purpose
1.1 This report presents the updated 30-year business plan for the Housing Revenue Account, with a detailed programme for the ten years 2025-35, for recommendation to Council.

2. Recommendations
2.1 Cabinet is asked to recommend to Council the HRA Business Plan 2025-35 as set out in Appendix A.
2.2 Cabinet is asked to approve a new build programme of 220 homes over ten years, subject to individual scheme approval.

3. The housing stock
3.1 The Council owns 2,940 homes, of which 610 are flats in blocks of three storeys or more. The average weekly rent in 2025-26 is £98.40, following the increase of 2.7% allowed under the Government's rent policy.
3.2 All homes currently meet the Decent Homes Standard, the Government's minimum standard for the condition of social housing.""",
        """4. Investment programme
4.1 The plan provides £64 million over ten years for major repairs and improvements to existing homes, including £12.5 million to improve the energy efficiency of the 700 homes with the lowest Energy Performance Certificate (EPC) ratings.
4.2 The new build programme of 220 homes is expected to cost £58 million. It would be funded by borrowing of £34 million, Right to Buy receipts of £9 million and grant from Homes England of £15 million.
4.3 The plan assumes that borrowing will be repaid over 30 years and that the interest cover ratio, the ratio of net rental income to interest costs, will not fall below 1.25.

5. Risks
5.1 The main risks are higher interest rates, a future rent policy that limits increases below inflation, and building cost inflation. The plan has been stress tested: a rise of 1% in interest rates would reduce the HRA balance by £4.6 million over ten years but would not make the plan unaffordable.

6. Consultation
6.1 The Tenants' Panel was consulted on 28 April 2025 and supported the priorities in the plan, in particular the energy efficiency programme.""",
        """This page is intentionally left blank""",
    ],
    appendices=[
        (
            "Appendix A - HRA Business Plan Summary",
            [
                """Appendix A - HRA Business Plan 2025-35 Summary

Year one (2025-26) rental income: £15.0 million
Year one management and maintenance costs: £8.9 million
Year one interest costs: £3.1 million
Minimum HRA balance to be held: £2.0 million
Homes to be built by 2035: 220
Homes to be improved to EPC band C by 2030: 700

The Minimum Revenue Provision (MRP), the amount set aside each year to repay debt, does not apply to the HRA, which instead sets aside a voluntary repayment of £1.2 million a year.""",
            ],
        )
    ],
)

AGENDA: list[Item] = [
    Item(1, "Apologies for Absence"),
    Item(2, "Declarations of Interest"),
    Item(3, "Minutes of the Meeting held on 9 April 2025", MINUTES),
    Item(4, "Revenue Budget Monitoring 2025-26 Quarter 1", BUDGET),
    Item(5, "Public Spaces Protection Order: Riverside Park", PSPO),
    Item(6, "Housing Revenue Account Business Plan 2025-35", HRA),
    Item(7, "Urgent Business"),
]

RUNNING_HEADER = "Fernmouth District Council - Cabinet - 14 May 2025"


class PackPDF(FPDF):
    """Adds the running header and the "Page N" footer ModernGov prints."""

    printed_page: int | None = None
    printed_numbers: dict[int, int]

    def header(self) -> None:
        if self.printed_page is not None:
            self.printed_numbers[self.page_no()] = self.printed_page
            self.set_font("Helvetica", size=8)
            self.cell(0, 6, RUNNING_HEADER, align="C", new_x="LMARGIN", new_y="NEXT")
            self.ln(2)

    def footer(self) -> None:
        number = self.printed_numbers.get(self.page_no())
        if number is not None:
            self.set_y(-15)
            self.set_font("Helvetica", size=9)
            self.cell(0, 10, f"Page {number}", align="C")


def _body(pdf: PackPDF, text: str) -> None:
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 5.5, text, new_x="LMARGIN", new_y="NEXT")


def page_counts() -> dict[int, int]:
    return {
        item.number: len(item.paper.pages) + sum(len(p) for _, p in item.paper.appendices)
        for item in AGENDA
        if item.paper
    }


def build(path: Path) -> None:
    counts = page_counts()
    # Printed "Page N" numbers start on the first report page, after the front sheet.
    ranges: dict[int, tuple[int, int]] = {}
    printed = 1
    for item in AGENDA:
        if item.number in counts:
            ranges[item.number] = (printed, printed + counts[item.number] - 1)
            printed += counts[item.number]

    pdf = PackPDF(format="A4")
    pdf.printed_numbers = {}
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_title("Cabinet reports pack, 14 May 2025 (synthetic example)")
    pdf.set_creation_date(dt.datetime(2025, 5, 1, tzinfo=dt.UTC))  # reproducible bytes

    pdf.add_page()
    pdf.start_section("Agenda")
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, "FERNMOUTH DISTRICT COUNCIL", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 10, "AGENDA", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 10, "CABINET", new_x="LMARGIN", new_y="NEXT")
    _body(
        pdf,
        "Wednesday, 14th May, 2025, at 7.00 pm\n"
        "Council Chamber, Town Hall, Fernmouth\n"
        "Ask for: Democratic Services  Telephone: 01000 000000\n\n"
        "Membership: Councillor Helen Marsh (Leader), Councillor David Okafor, Councillor Priya Shah, "
        "Councillor Tom Bennett and Councillor Sarah Lowe.\n\n"
        "This is a synthetic example pack: the council, the people and the figures are invented.\n\n"
        "UNRESTRICTED ITEMS\n",
    )
    for item in AGENDA:
        pages = ""
        if item.number in ranges:
            start, end = ranges[item.number]
            pages = f" (Pages {start} - {end})"
        _body(pdf, f"{item.number}. {item.title}{pages}")

    for item in AGENDA:
        if item.paper is None:
            continue
        pdf.printed_page = ranges[item.number][0]
        first = True
        for pages, title, level in [(item.paper.pages, None, 0)] + [
            (pages, t, 1) for t, pages in item.paper.appendices
        ]:
            for text in pages:
                pdf.add_page()
                if first:
                    pdf.start_section(f"{item.number} {item.title}")
                    pdf.set_font("Helvetica", "B", 9)
                    pdf.cell(0, 5, f"Agenda Item {item.number}", align="R", new_x="LMARGIN", new_y="NEXT")
                    first = False
                if title is not None:
                    pdf.start_section(title, level=level)
                    title = None
                _body(pdf, text)
                pdf.printed_page += 1
                # Keep each source page on one PDF page so "Page N" stays in step.
                assert pdf.page_no() == pdf.pages_count
    pdf.output(str(path))


if __name__ == "__main__":
    out = HERE / "sample-pack.pdf"
    build(out)
    print(f"wrote {out}")
