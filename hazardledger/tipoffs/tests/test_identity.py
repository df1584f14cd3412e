"""Revealing a reporter: a reason, the custodian's approval (never one's own), every reading
logged and visible to the supervision group; rotation of the vault key."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.utils import timezone

from hazardledger.lib.workflow import ConcurrentChange, GuardFailed
from hazardledger.org.models import Role
from hazardledger.org.services import person_upsert
from hazardledger.tipoffs import services, vault
from hazardledger.tipoffs.models import IdentityRecord, IdentityView, RevealStatus
from hazardledger.tipoffs.selectors import identity_views_visible_to, reveals_visible_to

from .conftest import NAME, PHONE, REAL


class RevealTestCase:
    def test_it_reveals_only_after_the_custodian_approves(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        with pytest.raises(PermissionDenied):
            services.identity_read(actor=kit.d.hank, tipoff=tipoff)
        request = services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason="需要回访核实")
        with pytest.raises(PermissionDenied):
            services.identity_read(actor=kit.d.hank, tipoff=tipoff)
        services.reveal_decide(actor=kit.d.cora, request=request, approve=True)
        person = services.identity_read(actor=kit.d.hank, tipoff=tipoff)
        assert person["name"] == NAME and person["phone"] == PHONE
        assert IdentityView.objects.filter(request=request, viewed_by=kit.d.hank).count() == 1

    def test_it_requires_a_reason(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        with pytest.raises(GuardFailed) as caught:
            services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason=" ")
        assert "reason" in caught.value.fields

    def test_it_refuses_the_requester_approving_their_own_request(self, kit):
        both = person_upsert(
            actor=None,
            username="both",
            unit=kit.d.office,
            roles=[Role.HOTLINE_OPERATOR, Role.IDENTITY_CUSTODIAN],
            password="correct-horse-9",
        )
        tipoff = kit.submit(**REAL).tipoff
        request = services.reveal_request(actor=both, tipoff=tipoff, reason="回访")
        with pytest.raises(PermissionDenied):
            services.reveal_decide(actor=both, request=request, approve=True)
        request.refresh_from_db()
        assert request.status == RevealStatus.PENDING
        with pytest.raises(PermissionDenied):
            services.identity_read(actor=both, tipoff=tipoff)

    def test_it_refuses_decisions_by_others_than_the_custodian(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        request = services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason="回访")
        for person in (kit.d.alice, kit.d.sam, kit.d.tom):
            with pytest.raises(PermissionDenied):
                services.reveal_decide(actor=person, request=request, approve=True)

    def test_it_decides_once(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        request = services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason="回访")
        services.reveal_decide(actor=kit.d.cora, request=request, approve=False, note="理由不足")
        with pytest.raises(ConcurrentChange):
            services.reveal_decide(actor=kit.d.cora, request=request, approve=True)
        with pytest.raises(PermissionDenied):
            services.identity_read(actor=kit.d.hank, tipoff=tipoff)

    def test_it_needs_a_note_to_deny(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        request = services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason="回访")
        with pytest.raises(GuardFailed):
            services.reveal_decide(actor=kit.d.cora, request=request, approve=False)

    def test_it_lets_an_approval_expire(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        request = services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason="回访")
        services.reveal_decide(actor=kit.d.cora, request=request, approve=True)
        later = time_machine.travel(timezone.now() + timedelta(hours=25))
        with later, pytest.raises(PermissionDenied):
            services.identity_read(actor=kit.d.hank, tipoff=tipoff)

    def test_it_refuses_requests_for_anonymous_reports_and_from_outsiders(self, kit):
        anonymous = kit.submit().tipoff
        with pytest.raises(GuardFailed):
            services.reveal_request(actor=kit.d.hank, tipoff=anonymous, reason="回访")
        real = kit.submit(**REAL).tipoff
        for outsider in (kit.d.eve, kit.d.sam, kit.d.xena):
            with pytest.raises(PermissionDenied):
                services.reveal_request(actor=outsider, tipoff=real, reason="回访")
        # tina's town is not where the tip-off was assigned.
        services.tipoff_assign(
            actor=kit.d.hank, tipoff=real, territory=kit.d.town_a, department=None
        )
        with pytest.raises(PermissionDenied):
            services.reveal_request(actor=kit.d.tina, tipoff=real, reason="回访")

    def test_it_shows_every_request_and_reading_to_the_supervision_group(self, kit):
        tipoff = kit.submit(**REAL).tipoff
        request = services.reveal_request(actor=kit.d.hank, tipoff=tipoff, reason="回访")
        services.reveal_decide(actor=kit.d.cora, request=request, approve=True)
        services.identity_read(actor=kit.d.hank, tipoff=tipoff)
        assert list(reveals_visible_to(kit.d.sam)) == [request]
        assert identity_views_visible_to(kit.d.sam).count() == 1
        assert not reveals_visible_to(kit.d.tom).exists()


class RotationTestCase:
    def test_it_reencrypts_every_record_under_the_new_key(self, kit, settings):
        old = settings.TIPOFF_VAULT_KEY
        tipoffs = [kit.submit(**REAL).tipoff for _ in range(3)]
        old_id = vault.keyring().current
        import base64
        import secrets

        new = base64.b64encode(secrets.token_bytes(32)).decode()
        settings.TIPOFF_VAULT_KEY = f"{new},{old}"
        call_command("rotate_vault_key")
        new_id = vault.keyring().current
        assert new_id != old_id
        assert set(IdentityRecord.objects.values_list("key_id", flat=True)) == {new_id}
        settings.TIPOFF_VAULT_KEY = new  # the old key is gone and every record still opens
        for tipoff in tipoffs:
            row = IdentityRecord.objects.get(tipoff=tipoff)
            assert (
                vault.decrypt(
                    key=row.key_id,
                    nonce=row.nonce,
                    ciphertext=row.ciphertext,
                    associated=f"tipoff:{tipoff.pk}",
                )["name"]
                == NAME
            )

    def test_it_generates_and_rotates_a_key_file_in_development(self, kit, settings):
        settings.TIPOFF_VAULT_KEY = ""
        settings.TIPOFF_INDEX_KEY = ""
        tipoff = kit.submit(**REAL).tipoff
        assert vault.key_file().exists()
        first = vault.keyring().current
        call_command("rotate_vault_key", "--new", "--drop-old")
        ring = vault.keyring()
        assert ring.current != first and list(ring.keys) == [ring.current]
        row = IdentityRecord.objects.get(tipoff=tipoff)
        assert row.key_id == ring.current
        assert (
            vault.decrypt(
                key=row.key_id,
                nonce=row.nonce,
                ciphertext=row.ciphertext,
                associated=f"tipoff:{tipoff.pk}",
            )["phone"]
            == PHONE
        )
