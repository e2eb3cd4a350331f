from odoo import fields
from odoo.addons.aftersales_agent.tests.common import AgentCase


class SurveyCase(AgentCase):
    """The suite's happy-call questionnaire (three scored questions 0..4 and the interest
    question), a done stage, the company's default share and gap."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.survey = env.ref("aftersales_survey.survey_happy_call")
        cls.stage_done = env.ref("aftersales_base.stage_done")
        cls.questions = cls.survey.question_ids.sorted("sequence")
        cls.q_interest = env.ref("aftersales_survey.survey_happy_call_q_interest")
        cls.company.write(
            {
                "aftersales_happy_call_survey_id": cls.survey.id,
                "aftersales_happy_call_share": 20.0,
                "aftersales_happy_call_gap_days": 90,
                "aftersales_happy_call_threshold": 60.0,
            }
        )
        cls.Call = env["aftersales.happy.call"]

    @classmethod
    def _done_job(cls, agent=None, technician=None, partner=None, lot=None, **values):
        """A job of ``agent`` (or in-house of ``technician``) moved to the done stage."""
        if technician:
            values.update(technician_id=technician.id, agent_id=False)
        if partner:
            values["partner_id"] = partner.id
        job = cls._job(agent, lot=lot, **values)
        job.stage_id = cls.stage_done
        return job

    def _answer(self, call, scores, interest=False):
        """Answer the questionnaire of ``call`` as the operator would on the phone:
        ``scores`` the score (0..4) chosen for each scored question."""
        answer = call._answer_input()
        scored = self.questions - self.q_interest
        for question, score in zip(scored, scores, strict=True):
            choice = question.suggested_answer_ids.filtered(lambda a, s=score: a.answer_score == s)
            answer._save_lines(question, choice.id)
        pick = self.q_interest.suggested_answer_ids.filtered(
            lambda a: a.aftersales_interest == interest
        )[:1]
        answer._save_lines(self.q_interest, pick.id)
        answer._mark_done()
        return answer

    @classmethod
    def _today(cls):
        return fields.Date.context_today(cls.env.user)
