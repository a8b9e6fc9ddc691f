"""Choosing the home region on the complaint form in a browser, as a worker does it."""

from __future__ import annotations


def choose_region_step_by_step(page, *, province: str, regency: str, district: str = "") -> None:
    """Without scripts: choose, press "Show the list", choose the next one."""
    page.select_option("#id_origin_province", province)
    page.click("button[name=region_step]")
    page.select_option("#id_origin_region", regency)
    if district:
        page.click("button[name=region_step]")
        page.select_option("#id_origin_district", district)


def choose_village_step_by_step(page, *, code: str) -> None:
    parts = code.split(".")
    choose_region_step_by_step(
        page,
        province=parts[0],
        regency=".".join(parts[:2]),
        district=".".join(parts[:3]),
    )
    page.click("button[name=region_step]")
    page.select_option("#id_origin_village", code)


def choose_village_by_name(page, *, typed: str, label: str) -> None:
    """With scripts: type the name into the one search box and pick the entry by its label."""
    page.fill("#village-search-input", typed)
    page.locator(".village-results button", has_text=label).click()
    page.wait_for_selector(".village-chosen:not(:empty)")
