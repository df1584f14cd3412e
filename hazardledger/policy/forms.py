from django import forms
from django.utils.translation import gettext_lazy as _

MAX_POLICY_FILE_BYTES = 256 * 1024


class PolicyUploadForm(forms.Form):
    file = forms.FileField(label=_("政策参数文件（YAML 或 JSON）"))
    activate = forms.BooleanField(label=_("载入后立即启用"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_POLICY_FILE_BYTES:
            raise forms.ValidationError(_("文件过大（上限 256 KB）"))
        name = upload.name.lower()
        if not name.endswith((".yaml", ".yml", ".json")):
            raise forms.ValidationError(_("只接受 .yaml、.yml 或 .json 文件"))
        return upload
