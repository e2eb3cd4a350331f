"""The operator answers a happy call on the survey's own pages (R-SRV-3).

Odoo's survey controller refuses a logged-in user whose partner is not the partner of
the answer (``_check_validity``: ``answer_wrong_user``, "probably a cookie issue"): the
answer of a happy call belongs to the customer, so the operator who opened it from the
call (``action_answer``) would get the survey's access error page. Here that one check
lets through the operator the call was opened by, with the answer's own token, as long
as the operator may still make the call (an operator, and not on that job); everything
else (tokens, deadlines, closed surveys, answers locked once done) stays Odoo's.
"""

from odoo.addons.survey.controllers.main import Survey
from odoo.exceptions import AccessError
from odoo.http import request

OPERATOR = "aftersales_base.group_aftersales_operator"


class AftersalesSurvey(Survey):
    def _check_validity(self, survey_token, answer_token, ensure_token=True, check_partner=True):
        validity = super()._check_validity(
            survey_token, answer_token, ensure_token=ensure_token, check_partner=check_partner
        )
        if validity == "answer_wrong_user" and self._aftersales_operator_answers(
            survey_token, answer_token
        ):
            return True
        return validity

    def _aftersales_operator_answers(self, survey_token, answer_token):
        """Whether the user is the operator answering the happy call of this answer."""
        user = request.env.user
        if not answer_token or user._is_public() or not user.has_group(OPERATOR):
            return False
        _survey_sudo, answer_sudo = self._fetch_from_access_token(survey_token, answer_token)
        call = answer_sudo.aftersales_happy_call_id
        if not call or call.answered_user_id != user:
            return False
        try:
            call.with_user(user)._check_caller()
        except AccessError:
            return False
        return True
