"""The API's validation messages are Chinese: no "Field required" reaches a person."""

from __future__ import annotations

from hazardledger.lib.validation_zh import message, translate


class ValidationMessagesTestCase:
    def test_it_translates_the_common_pydantic_errors(self):
        assert message({"type": "missing"}) == "必填项，不能缺少"
        assert (
            message({"type": "string_too_long", "ctx": {"max_length": 20}}) == "不能超过 20 个字符"
        )
        assert message({"type": "less_than_equal", "ctx": {"le": 200}}) == "不能大于 200"
        assert message({"type": "value_error", "msg": "Value error, 日期不存在"}) == "日期不存在"
        assert message({"type": "something_new"}) == "取值无效"

    def test_it_names_the_field(self):
        detail, errors = translate([{"type": "int_parsing", "loc": ["query", "limit"], "msg": "x"}])
        assert detail == "请求数据有误：limit：应为整数"
        assert errors[0]["field"] == "limit" and errors[0]["type"] == "int_parsing"

    def test_a_request_with_a_missing_field_answers_in_chinese(self, district, client_for):
        response = client_for(district.tom).post(
            "/api/v1/enterprises/", data="{}", content_type="application/json"
        )
        # creating without fields is refused by the service or the schema, never in English
        assert response.status_code in (403, 422)
        assert "Field required" not in response.content.decode()
        response = client_for(district.tom).get("/api/v1/enterprises/?limit=abc")
        assert response.status_code == 422
        body = response.json()
        assert "应为整数" in body["detail"] and "Input should" not in response.content.decode()
