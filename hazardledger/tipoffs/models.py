"""Tip-offs (举报): the report, its files and conversation, the identity vault, reveals,
duplicates, rewards and the notification letters (告知信).

The reporter's identity is never a column of the tip-off: it lives encrypted in
`IdentityRecord`, and the receipt code is kept only as a slow hash and a keyed index.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hazardledger.org.models import Industry, Unit

PSEUDONYM_SIGNS = "甲乙丙丁戊己庚辛壬癸"


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("举报电话")
    WEB = "web", _("网上举报")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")
    EMAIL = "email", _("电子邮件")


class Kind(models.TextChoices):
    # The codes are the reward natures of the policy profile.
    HAZARD = "hazard", _("安全生产隐患")
    ILLEGAL = "illegal_operation", _("非法违法生产经营建设")
    CONCEALED = "concealed_accident", _("迟报瞒报生产安全事故")


class Status(models.TextChoices):
    RECEIVED = "received", _("已接收")
    ASSIGNED = "assigned", _("已分派")
    VERIFYING = "verifying", _("核查中")
    VERIFIED = "verified", _("已核实")
    CLOSED = "closed", _("已办结")
    REJECTED = "rejected", _("不予受理")


class Verification(models.TextChoices):
    TRUE = "true", _("属实")
    PARTLY = "partly", _("部分属实")
    FALSE = "false", _("不属实")


class TipOffCounter(models.Model):
    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class TipOff(models.Model):
    number = models.CharField(_("举报编号"), max_length=20, unique=True)
    channel = models.CharField(_("举报渠道"), max_length=8, choices=Channel.choices)
    kind = models.CharField(_("举报类别"), max_length=24, choices=Kind.choices)
    received_at = models.DateTimeField(_("接收时间"), db_index=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    subject = models.CharField(_("被举报单位或地址"), max_length=200)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("举报内容"), max_length=4000)
    match_text = models.CharField(max_length=600, editable=False, default="")
    is_anonymous = models.BooleanField(_("匿名举报"), default=True)
    is_insider = models.BooleanField(_("内部知情人（被举报单位从业人员）"), default=False)
    pseudonym = models.CharField(_("举报人代称"), max_length=20)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("匹配企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    territory = models.ForeignKey(
        Unit,
        verbose_name=_("属地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry,
        verbose_name=_("行业领域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Unit,
        verbose_name=_("承办部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    assigned_at = models.DateTimeField(_("分派时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    verification = models.CharField(
        _("核实结果"), max_length=8, choices=Verification.choices, blank=True
    )
    verification_note = models.TextField(_("核查情况"), blank=True, max_length=4000)
    fine_yuan = models.PositiveBigIntegerField(_("罚款金额（元）"), null=True, blank=True)
    concealed_deaths = models.PositiveIntegerField(_("查实瞒报死亡人数"), null=True, blank=True)
    accident_grade = models.CharField(_("事故等级"), max_length=24, blank=True)
    severity = models.CharField(_("危害程度"), max_length=24, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reject_reason = models.CharField(_("不予受理理由"), max_length=500, blank=True)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("重复举报（首报）"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duplicates",
    )
    hazards = models.ManyToManyField(
        "hazards.Hazard", verbose_name=_("生成的隐患卡"), blank=True, related_name="+"
    )
    # Receipt code: a keyed index for lookup and a slow salted hash to confirm it.
    receipt_index = models.CharField(max_length=64, unique=True, editable=False)
    receipt_hash = models.CharField(max_length=128, editable=False)
    receipt_salt = models.CharField(max_length=32, editable=False)
    reporter_seen_at = models.DateTimeField(_("举报人最近查询时间"))
    reporter_key = models.CharField(max_length=64, blank=True, db_index=True, editable=False)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["status", "received_at"], name="tipoffs_status_recv"),
            models.Index(fields=["territory", "status"], name="tipoffs_territory_status"),
            models.Index(fields=["industry", "status"], name="tipoffs_industry_status"),
            models.Index(fields=["enterprise", "received_at"], name="tipoffs_ent_recv"),
        ]

    def __str__(self) -> str:
        return self.number

    def origin_label(self) -> str:
        """How records produced from this tip-off name it: number and pseudonym, never the
        reporter."""
        return f"举报 {self.number}（{self.pseudonym}）"


class IdentityRecord(models.Model):
    """The reporter's identity, AES-GCM encrypted; `reporter_key` (on the tip-off) is a keyed
    hash that recognises the same reporter without decrypting."""

    tipoff = models.OneToOneField(TipOff, on_delete=models.CASCADE, related_name="identity")
    key_id = models.CharField(max_length=16)
    nonce = models.BinaryField(max_length=12)
    ciphertext = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("举报人身份（加密）")
        verbose_name_plural = _("举报人身份（加密）")

    def __str__(self) -> str:
        return f"{self.tipoff.number} · {self.key_id}"


class FileKind(models.TextChoices):
    IMAGE = "image", _("图片")
    DOCUMENT = "document", _("文件")
    EVIDENCE = "evidence", _("核查证据")


class TipOffFile(models.Model):
    tipoff = models.ForeignKey(TipOff, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("类别"), max_length=12, choices=FileKind.choices)
    file = models.FileField(_("文件"), upload_to="tipoffs/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    from_reporter = models.BooleanField(default=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("举报附件")
        verbose_name_plural = _("举报附件")
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.tipoff.number} · {self.get_kind_display()}"


class Author(models.TextChoices):
    STAFF = "staff", _("承办人员")
    REPORTER = "reporter", _("举报人")


class Message(models.Model):
    """The two-way conversation through the receipt code; feedback is the answer the reporter
    is owed after verification."""

    tipoff = models.ForeignKey(TipOff, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("发送方"), max_length=8, choices=Author.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    body = models.TextField(_("内容"), max_length=2000)
    is_feedback = models.BooleanField(_("处理结果反馈"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("举报沟通记录")
        verbose_name_plural = _("举报沟通记录")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.tipoff.number} · {self.get_author_display()}"


class RevealStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    DENIED = "denied", _("未批准")


class RevealRequest(models.Model):
    tipoff = models.ForeignKey(TipOff, on_delete=models.PROTECT, related_name="reveals")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("申请理由"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=10, choices=RevealStatus.choices, default=RevealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("查看举报人身份申请")
        verbose_name_plural = _("查看举报人身份申请")
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"{self.tipoff.number} · {self.get_status_display()}"


class IdentityView(models.Model):
    """Every time a person read a reporter's identity."""

    request = models.ForeignKey(RevealRequest, on_delete=models.PROTECT, related_name="views")
    viewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    viewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("身份查看记录")
        verbose_name_plural = _("身份查看记录")
        ordering = ["-viewed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.request.tipoff.number} · {self.viewed_at:%Y-%m-%d %H:%M}"


class RewardStatus(models.TextChoices):
    PROPOSED = "proposed", _("已提出")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")
    PAID = "paid", _("已发放")


class PayMethod(models.TextChoices):
    CASH = "cash", _("现场领取现金")
    TRANSFER = "transfer", _("银行转账")


class Reward(models.Model):
    tipoff = models.OneToOneField(TipOff, on_delete=models.PROTECT, related_name="reward")
    status = models.CharField(
        _("状态"), max_length=10, choices=RewardStatus.choices, default=RewardStatus.PROPOSED
    )
    version = models.PositiveIntegerField(default=0, editable=False)
    amount_yuan = models.PositiveBigIntegerField(_("奖励金额（元）"))
    basis = models.CharField(_("计算依据"), max_length=300)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    claimed_at = models.DateTimeField(_("申领时间"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_on = models.DateField(_("发放日期"), null=True, blank=True)
    pay_method = models.CharField(
        _("发放方式"), max_length=10, choices=PayMethod.choices, blank=True
    )
    voucher_no = models.CharField(_("凭证号"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("举报奖励")
        verbose_name_plural = _("举报奖励")

    def __str__(self) -> str:
        return f"{self.tipoff.number} · {self.amount_yuan} 元"


class LookupGuard(models.Model):
    """Throttling state per client address (kept as a keyed hash, never the address)."""

    key = models.CharField(max_length=64, primary_key=True)
    window_start = models.DateTimeField()
    lookups = models.PositiveIntegerField(default=0)
    submissions = models.PositiveIntegerField(default=0)
    wrong_in_a_row = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key[:12]


class LetterScope(models.TextChoices):
    ENTERPRISE = "enterprise", _("按企业")
    INDUSTRY = "industry", _("按行业")


class Letter(models.Model):
    """A notification letter (告知信) generated for an enterprise or an industry."""

    scope = models.CharField(_("发放范围"), max_length=12, choices=LetterScope.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("企业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    industry = models.ForeignKey(
        Industry, verbose_name=_("行业"), null=True, blank=True, on_delete=models.PROTECT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("告知信")
        verbose_name_plural = _("告知信")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        target = self.enterprise or self.industry
        return f"{self.get_scope_display()} · {target}"


class Distribution(models.Model):
    """One recorded hand-out of letters to an enterprise's workers."""

    letter = models.ForeignKey(Letter, on_delete=models.PROTECT, related_name="distributions")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="+"
    )
    distributed_on = models.DateField(_("发放日期"))
    copies = models.PositiveIntegerField(_("份数"))
    workers_reached = models.PositiveIntegerField(_("覆盖从业人员数"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("告知信发放记录")
        verbose_name_plural = _("告知信发放记录")
        ordering = ["-distributed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.distributed_on}"
