"""The photo taken at a failed item is seen on the hazard card it became, not only named."""

from __future__ import annotations

import re

from django.urls import reverse

from hazardledger.hazards.models import Hazard
from hazardledger.inspections import services

from .conftest import photo


def card_from_photographed_item(kit, upload=None) -> Hazard:
    version = kit.version()
    first = next(iter(version.items.all()))
    items = kit.items(version)
    items[first.pk] = services.ItemInput(
        "fail", note="配电箱无漏电保护", location="配电室", photo=upload or photo()
    )
    inspection = kit.inspect(kit.a_build, version=version, items=items)
    item = inspection.items.get(checklist_item=first)
    return services.inspection_item_raise_hazard(actor=kit.d.tom, item=item)


class CardPhotoTestCase:
    def test_it_shows_the_items_photo_as_an_image_on_the_card(self, kit, client_for):
        hazard = card_from_photographed_item(kit)
        stored = hazard.files.get()
        client = client_for(kit.d.tom)
        html = client.get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
        src = reverse("hazards:file", args=[hazard.pk, stored.pk])
        image = re.search(rf'<img src="{re.escape(src)}"[^>]*>', html)
        assert image is not None, "the card names the photo but does not show it"
        assert 'alt="整改前照片"' in image.group()
        served = client.get(src)
        assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
        assert "attachment" not in served.get("Content-Disposition", "")

    def test_it_shortens_a_long_file_name_so_a_phone_need_not_scroll_sideways(
        self, kit, client_for
    ):
        hazard = card_from_photographed_item(kit)
        stored = hazard.files.get()
        stored.original_name = "IMG_" + "1" * 60 + ".jpg"
        stored.save(update_fields=["original_name"])
        html = (
            client_for(kit.d.tom).get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
        )
        assert f'title="{stored.original_name}"' in html
        assert f">{stored.original_name}<" not in html
        shown = re.search(r">(IMG_1+[.…]+)</a>", html)
        assert shown is not None and len(shown.group(1)) <= 32

    def test_it_shows_no_image_for_a_document(self, kit, client_for):
        hazard = card_from_photographed_item(kit)
        stored = hazard.files.get()
        stored.kind = "emergency_plan"
        stored.save(update_fields=["kind"])
        html = (
            client_for(kit.d.tom).get(reverse("hazards:detail", args=[hazard.pk])).content.decode()
        )
        assert reverse("hazards:file", args=[hazard.pk, stored.pk]) in html
        assert "<img src=" not in html


class CardPhotoNameTestCase:
    def test_it_names_the_photo_after_the_inspection_not_the_server_path(self, kit):
        hazard = card_from_photographed_item(kit)
        name = hazard.files.get().original_name
        item = hazard.inspection_item
        code = item.checklist_item.code
        assert name == f"检查记录{item.inspection.number}-第{code}项.jpg"
        assert "/" not in name

    def test_it_links_the_card_back_to_its_inspection(self, kit, client_for):
        hazard = card_from_photographed_item(kit)
        html = client_for(kit.d.tom).get(reverse("hazards:detail", args=[hazard.pk])).content
        link = reverse("inspections:detail", args=[hazard.inspection_item.inspection_id])
        assert f'<a href="{link}">{hazard.source_ref}</a>' in html.decode()


class LargePhotoTestCase:
    def test_a_photo_the_inspection_accepts_is_accepted_on_the_card(self, kit):
        import io
        import os

        from PIL import Image

        from hazardledger.lib import files

        # Noise does not compress: a genuine phone-sized photo of more than 5 MB.
        buffer = io.BytesIO()
        Image.frombytes("RGB", (1600, 1300), os.urandom(1600 * 1300 * 3)).save(buffer, "PNG")
        assert 5 * 1024 * 1024 < len(buffer.getvalue()) <= files.MAX_PHOTO_BYTES
        hazard = card_from_photographed_item(kit, photo("big.png", buffer.getvalue()))
        assert hazard.files.get().size == len(buffer.getvalue())
