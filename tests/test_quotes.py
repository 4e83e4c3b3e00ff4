"""Quote attribution through the actor layer: pronouns, offices, statements, relative clauses."""

from __future__ import annotations


def _speaker(extraction, words: str) -> str | None:
    quote = next(q for q in extraction.quotes if words in q.text)
    return quote.speaker_name


def test_he_is_the_last_active_subject_not_the_last_name(code):
    x = code('Interior Minister Rana Sanaullah denied that Khan had been beaten during the arrest. '
             '"Nobody laid a finger on him," he told a television channel.')
    assert _speaker(x, "Nobody laid") == "Rana Sanaullah"


def test_she_skips_a_man_the_text_calls_he(code):
    x = code('Opposition leader Maria Machado said her movement would keep fighting and accused Nicolas Maduro '
             'of forcing Edmundo Gonzalez into exile. Gonzalez said he had left for the sake of peace.\n\n'
             '"He will come back to be sworn in," she wrote on X.')
    assert _speaker(x, "He will come back") == "Maria Machado"


def test_names_inside_quotes_are_no_antecedents(code):
    x = code('Nikol Pashinyan told the nation that Armenia had played no part in the fighting. '
             '"Armenia has no army in Nagorno-Karabakh and will not fight for Ilham Aliyev," he stressed.')
    assert _speaker(x, "no army") == "Nikol Pashinyan"


def test_his_office_speaks_for_him(code):
    x = code('Prime Minister Mohammed Shia al-Sudani urged calm. His office said in a statement: '
             '"The court\'s ruling must be respected."')
    assert _speaker(x, "ruling must be respected") == "Mohammed Shia al-Sudani's office"


def test_the_statement_is_its_issuers(code):
    x = code('The Iraqi foreign ministry said in a statement that the embassy had been stormed. '
             '"We condemn this attack on a diplomatic mission," the ministry said. '
             '"Iraq will protect all missions," the statement said.')
    assert _speaker(x, "protect all missions") == _speaker(x, "We condemn") is not None


def test_who_takes_the_noun_it_describes(code):
    x = code('US President Joe Biden, who denounced the riot as "an assault on democracy," spoke with Lula.')
    assert _speaker(x, "assault on democracy") == "Joe Biden"


def test_the_spokeswoman_is_the_one_named_with_that_title(code):
    x = code('Foreign ministry spokeswoman Maria Zakharova told reporters that Moscow would respond. '
             '"We will not leave this without an answer," the spokeswoman said.')
    assert _speaker(x, "without an answer") == "Maria Zakharova"


def test_the_minister_is_the_last_person_whose_title_says_minister(code):
    # the shipped table of well-known people gives Hakan Fidan his title
    x = code('Hakan Fidan met his Iraqi counterpart in Ankara. "We share the same concerns," the minister said.')
    assert _speaker(x, "same concerns") == "Hakan Fidan"


def test_it_skips_nouns_inside_quotes(code):
    x = code('The army said in a statement that its forces had repelled an attack. '
             '"The enemy suffered heavy losses," it added.')
    assert _speaker(x, "heavy losses") == "The army"


def test_names_run_on_over_particles(code):
    x = code('"We have done our part," Qatari Prime Minister Sheikh Mohammed bin Abdulrahman Al Thani told a '
             'news conference in Doha.')
    assert _speaker(x, "done our part").endswith("Mohammed bin Abdulrahman Al Thani")
