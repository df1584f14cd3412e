"""GB 32100-2015 check character (pure), and the code refused everywhere it can enter."""

from __future__ import annotations

import random

import pytest
from django.core.exceptions import ValidationError

from hazardledger.enterprises.services import enterprise_create
from hazardledger.lib import credit_code

from .helpers import REAL_CODES


class CheckCharacterTestCase:
    @pytest.mark.parametrize("code", REAL_CODES)
    def test_it_accepts_real_codes(self, code):
        assert credit_code.problem(code) is None
        assert credit_code.is_valid(code)

    @pytest.mark.parametrize("code", REAL_CODES)
    def test_it_refuses_each_real_code_with_a_wrong_check_character(self, code):
        for wrong in credit_code.ALPHABET:
            if wrong != code[-1]:
                message = credit_code.problem(code[:-1] + wrong)
                assert message is not None and "校验位错误" in message and "无效" in message

    def test_it_catches_a_single_changed_character_in_the_body(self):
        code = REAL_CODES[0]
        for i in range(17):
            for char in "0123456789":
                if char != code[i]:
                    changed = code[:i] + char + code[i + 1 :]
                    assert not credit_code.is_valid(changed), changed

    def test_it_catches_swapped_neighbours(self):
        code = REAL_CODES[1]
        for i in range(16):
            if code[i] != code[i + 1]:
                swapped = code[:i] + code[i + 1] + code[i] + code[i + 2 :]
                assert not credit_code.is_valid(swapped)

    def test_it_explains_the_length(self):
        assert "18 位" in credit_code.problem("91440300192203821")

    def test_it_names_forbidden_letters(self):
        message = credit_code.problem("91440300I92203821O")
        assert "I" in message and "O" in message and "不允许" in message

    def test_it_wants_digits_for_the_division_code(self):
        assert "行政区划" in credit_code.problem("9144A3001922038216")

    def test_it_normalises_what_people_paste(self):
        assert credit_code.normalize(" ９１４４０３００１９２２０３８２１６ ") == REAL_CODES[0]
        assert credit_code.is_valid("9144030071526726xg")

    def test_it_generates_valid_codes_of_the_district(self):
        rng = random.Random(1)
        generated = {credit_code.generate(rng) for _ in range(2000)}
        assert len(generated) == 2000
        assert all(credit_code.is_valid(c) and c[2:8] == "370306" for c in generated)

    def test_it_generates_the_same_codes_from_the_same_seed(self):
        first = [credit_code.generate(random.Random(5)) for _ in range(3)]
        assert first == [credit_code.generate(random.Random(5)) for _ in range(3)]


class ServiceCodeTestCase:
    def test_it_refuses_an_invalid_code_in_the_service(self, district):
        with pytest.raises(ValidationError) as caught:
            enterprise_create(
                actor=district.alice,
                data={
                    "credit_code": REAL_CODES[0][:-1] + "7",
                    "name": "某公司",
                    "territory": district.town_a,
                },
            )
        assert "校验位错误" in caught.value.message_dict["credit_code"][0]

    def test_it_stores_the_normalised_code(self, district):
        e = enterprise_create(
            actor=district.alice,
            data={
                "credit_code": " 9144030071526726xg",
                "name": "腾讯",
                "territory": district.town_a,
            },
        )
        assert e.credit_code == "9144030071526726XG"

    def test_it_refuses_a_registered_code(self, district):
        data = {"credit_code": REAL_CODES[2], "name": "小米", "territory": district.town_a}
        enterprise_create(actor=district.alice, data=data)
        with pytest.raises(ValidationError) as caught:
            enterprise_create(actor=district.alice, data=data | {"name": "另一家"})
        assert caught.value.message_dict["credit_code"] == ["该统一社会信用代码已登记"]
