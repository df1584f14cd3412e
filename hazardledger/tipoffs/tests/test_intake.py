"""Intake: the public form, the hotline form, receipt codes and the identity vault."""

from __future__ import annotations

import io

import pytest
from cryptography.exceptions import InvalidTag
from django.core.exceptions import PermissionDenied
from PIL import Image

from hazardledger.lib.workflow import GuardFailed
from hazardledger.tipoffs import receipt, vault
from hazardledger.tipoffs.models import Channel, IdentityRecord, Status, TipOff

from .conftest import ID_NUMBER, NAME, PHONE, REAL, jpeg_with_gps, upload


class IntakeTestCase:
    def test_it_gives_a_receipt_code_of_the_policy_length_from_digits(self, kit):
        done = kit.submit()
        assert len(done.receipt_code) == 16 and done.receipt_code.isdigit()
        tipoff = done.tipoff
        assert tipoff.status == Status.RECEIVED and tipoff.channel == Channel.WEB
        assert tipoff.number.startswith("JB-") and tipoff.pseudonym.startswith("举报人")
        assert done.receipt_code not in (tipoff.receipt_hash + tipoff.receipt_index)
        assert receipt.matches(
            done.receipt_code, salt=tipoff.receipt_salt, stored=tipoff.receipt_hash
        )

    def test_it_never_gives_two_tipoffs_the_same_code(self, kit):
        codes = {kit.submit().receipt_code for _ in range(15)}
        assert len(codes) == 15

    def test_it_matches_the_enterprise_and_triages_from_it(self, kit):
        tipoff = kit.submit(subject="甲镇建筑公司").tipoff
        assert tipoff.enterprise == kit.ent_a
        assert tipoff.territory == kit.d.town_a and tipoff.department == kit.d.dept_a
        assert kit.submit(subject="某个不知名的小作坊").tipoff.enterprise is None

    def test_it_keeps_the_identity_only_encrypted(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        row = IdentityRecord.objects.get(tipoff=tipoff)
        blob = bytes(row.ciphertext)
        for secret in (NAME, PHONE, ID_NUMBER):
            assert secret.encode() not in blob
        assert row.key_id == vault.keyring().current
        plain = vault.decrypt(
            key=row.key_id,
            nonce=row.nonce,
            ciphertext=row.ciphertext,
            associated=f"tipoff:{tipoff.pk}",
        )
        assert plain["name"] == NAME and plain["phone"] == PHONE

    def test_it_refuses_a_ciphertext_moved_to_another_row(self, kit):
        one = kit.submit(**REAL).tipoff
        row = IdentityRecord.objects.get(tipoff=one)
        with pytest.raises(InvalidTag):
            vault.decrypt(
                key=row.key_id,
                nonce=row.nonce,
                ciphertext=row.ciphertext,
                associated="tipoff:999999",
            )

    def test_it_recognises_the_same_reporter_by_keyed_hash(self, kit):
        a = kit.submit(**REAL).tipoff
        b = kit.submit(**{**REAL, "name": "别的名字"}, subject="乙街道化工厂").tipoff
        c = kit.submit(**{**REAL, "id_number": "", "phone": "13800000000"}).tipoff
        assert a.reporter_key and a.reporter_key == b.reporter_key != c.reporter_key
        assert PHONE not in a.reporter_key

    def test_it_stores_no_identity_for_anonymous_reports(self, kit):
        tipoff = kit.submit(is_anonymous=True, name=NAME).tipoff
        assert not IdentityRecord.objects.filter(tipoff=tipoff).exists()

    @pytest.mark.parametrize(
        "data, field",
        [
            ({"kind": "other"}, "kind"),
            ({"subject": ""}, "subject"),
            ({"description": "x" * 4001}, "description"),
            ({"description": "含\x00字符"}, "description"),
            ({"subject": ["列表"]}, "subject"),
            ({"is_anonymous": False, "name": NAME}, "phone"),
            ({"is_anonymous": False, "phone": PHONE}, "name"),
            ({"is_anonymous": False, "name": NAME, "phone": "abc"}, "phone"),
            (
                {"is_anonymous": False, "name": NAME, "phone": PHONE, "id_number": "123"},
                "id_number",
            ),
        ],
    )
    def test_it_refuses_bad_input_by_field_and_stores_nothing(self, kit, data, field):
        with pytest.raises(GuardFailed) as caught:
            kit.submit(**data)
        assert field in caught.value.fields
        assert not TipOff.objects.exists()

    def test_it_strips_gps_and_device_from_images(self, kit):
        original = jpeg_with_gps()
        assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
        tipoff = kit.submit(uploads=[upload(original)]).tipoff
        stored = tipoff.files.get().file.read()
        image = Image.open(io.BytesIO(stored))
        assert not image.getexif() and not image.getexif().get_ifd(0x8825)
        assert b"SecretPhoneMaker" not in stored and b"Exif" not in stored
        assert image.size == (16, 12)

    def test_it_refuses_a_file_that_is_not_what_it_claims(self, kit):
        with pytest.raises(GuardFailed) as caught:
            kit.submit(uploads=[upload(b"MZ\x90\x00 not a picture", "photo.jpg")])
        assert "files" in caught.value.fields and not TipOff.objects.exists()

    def test_it_accepts_a_pdf_by_content(self, kit):
        tipoff = kit.submit(uploads=[upload(b"%PDF-1.4\n%...", "a.pdf", "application/pdf")]).tipoff
        assert tipoff.files.get().content_type == "application/pdf"

    def test_it_lets_the_hotline_record_channel_and_time(self, kit):
        from datetime import timedelta

        from django.utils import timezone

        when = timezone.now() - timedelta(hours=30)
        tipoff = kit.submit(actor=kit.d.hank, channel="letter", received_at=when).tipoff
        assert tipoff.channel == Channel.LETTER and tipoff.received_at == when
        assert tipoff.received_by == kit.d.hank

    def test_it_refuses_intake_by_other_roles(self, kit):
        with pytest.raises(PermissionDenied):
            kit.submit(actor=kit.d.tom)


class DocumentMetadataTestCase:
    def test_it_removes_the_author_from_word_files(self, kit):
        from docx import Document

        word = Document()
        word.add_paragraph("现场情况说明")
        word.core_properties.author = "王秀英"
        word.core_properties.last_modified_by = "王秀英"
        buffer = io.BytesIO()
        word.save(buffer)
        kind = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        tipoff = kit.submit(uploads=[upload(buffer.getvalue(), "说明.docx", kind)]).tipoff
        stored = Document(io.BytesIO(tipoff.files.get().file.read()))
        assert stored.core_properties.author == "" and stored.core_properties.last_modified_by == ""
        assert stored.paragraphs[0].text == "现场情况说明"

    def test_it_refuses_a_broken_word_file(self, kit):
        with pytest.raises(GuardFailed):
            kit.submit(uploads=[upload(b"PK\x03\x04broken", "a.docx", "application/zip")])
        assert not TipOff.objects.exists()
