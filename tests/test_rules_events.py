"""Event rules (verbal, nominal, attribution) on frozen parses of invented sentences: what each frame family
reads, and what it must leave alone. The parses were made once by the small English model (tests/rule_docs.py).
"""

from __future__ import annotations

import pytest

from kg.extract.extractor import extract_article
from kg.gazetteer import Gazetteer
from kg.model import Article, Event, Extraction

from .frozen_docs import frozen_doc
from .rule_docs import DATE, rule_gazetteer

PARSES: dict[str, tuple[str, list[tuple[int, int, str]]]] = {
    # Two Syrian soldiers were killed in a Turkish drone strike.
    "killed_in_strike": (
        'Two|two|NUM|CD|nummod|2 Syrian|syrian|ADJ|JJ|amod|2 soldiers|soldier|NOUN|NNS|nsubjpass|4 were|be|AUX|VBD|auxpass|4 killed|kill|VERB|VBN|ROOT|4 in|in|ADP|IN|prep|4 a|a|DET|DT|det|9 Turkish|turkish|ADJ|JJ|amod|9 drone|drone|NOUN|NN|compound|9 strike|strike|NOUN|NN|pobj|5|- .|.|PUNCT|.|punct|4|-',
     [(0, 1, 'CARDINAL'), (1, 2, 'NORP'), (7, 8, 'NORP')]
    ),
    # Jordan promised to send aid to Lebanon.
    "promised_aid": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 promised|promise|VERB|VBD|ROOT|1 to|to|PART|TO|aux|3 send|send|VERB|VB|xcomp|1 aid|aid|NOUN|NN|dobj|3 to|to|ADP|IN|prep|3 Lebanon|Lebanon|PROPN|NNP|pobj|5|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (6, 7, 'Country')]
    ),
    # Kataib Hezbollah vowed to attack American bases.
    "vowed_attack": (
        'Kataib|Kataib|PROPN|NNP|compound|1 Hezbollah|Hezbollah|PROPN|NNP|nsubj|2 vowed|vow|VERB|VBD|ROOT|2 to|to|PART|TO|aux|4 attack|attack|VERB|VB|xcomp|2 American|american|ADJ|JJ|amod|6 bases|basis|NOUN|NNS|dobj|4|- .|.|PUNCT|.|punct|2|-',
     [(0, 2, 'ArmedGroup'), (5, 6, 'NORP')]
    ),
    # Germany will provide aid to Jordan.
    "will_provide_aid": (
        'Germany|Germany|PROPN|NNP|nsubj|2 will|will|AUX|MD|aux|2 provide|provide|VERB|VB|ROOT|2 aid|aid|NOUN|NN|dobj|2 to|to|ADP|IN|prep|2 Jordan|Jordan|PROPN|NNP|pobj|4|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'Country'), (5, 6, 'Country')]
    ),
    # Iranian officials said they would boycott talks with the United States.
    "said_would_boycott": (
        'Iranian|iranian|ADJ|JJ|amod|1 officials|official|NOUN|NNS|nsubj|2 said|say|VERB|VBD|ROOT|2 they|they|PRON|PRP|nsubj|5 would|would|AUX|MD|aux|5 boycott|boycott|VERB|VB|ccomp|2 talks|talk|NOUN|NNS|dobj|5 with|with|ADP|IN|prep|6 the|the|DET|DT|det|10 United|United|PROPN|NNP|compound|10 States|States|PROPN|NNP|pobj|7|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (9, 11, 'Country')]
    ),
    # Syria refused to withdraw its troops from Lebanon.
    "refused_withdraw": (
        'Syria|Syria|PROPN|NNP|nsubj|1 refused|refuse|VERB|VBD|ROOT|1 to|to|PART|TO|aux|3 withdraw|withdraw|VERB|VB|xcomp|1 its|its|PRON|PRP$|poss|5 troops|troop|NOUN|NNS|dobj|3 from|from|ADP|IN|prep|3 Lebanon|Lebanon|PROPN|NNP|pobj|6|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (7, 8, 'Country')]
    ),
    # Iraq and Turkey failed to reach an agreement.
    "failed_agreement": (
        'Iraq|Iraq|PROPN|NNP|nsubj|3 and|and|CCONJ|CC|cc|0 Turkey|Turkey|PROPN|NNP|conj|0 failed|fail|VERB|VBD|ROOT|3 to|to|PART|TO|aux|5 reach|reach|VERB|VB|xcomp|3 an|an|DET|DT|det|7 agreement|agreement|NOUN|NN|dobj|5|- .|.|PUNCT|.|punct|3|-',
     [(0, 1, 'Country'), (2, 3, 'Country')]
    ),
    # Iran denied attacking American forces.
    "denied_attacking": (
        'Iran|Iran|PROPN|NNP|nsubj|1 denied|deny|VERB|VBD|ROOT|1 attacking|attack|VERB|VBG|xcomp|1 American|american|ADJ|JJ|amod|4 forces|force|NOUN|NNS|dobj|2|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (3, 4, 'NORP')]
    ),
    # Turkey said Syria must withdraw its forces.
    "said_must": (
        'Turkey|Turkey|PROPN|NNP|nsubj|1 said|say|VERB|VBD|ROOT|1 Syria|Syria|PROPN|NNP|nsubj|4 must|must|AUX|MD|aux|4 withdraw|withdraw|VERB|VB|ccomp|1 its|its|PRON|PRP$|poss|6 forces|force|NOUN|NNS|dobj|4|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (2, 3, 'Country')]
    ),
    # The United States demanded that Iran release the sailors.
    "demanded_that": (
        'The|the|DET|DT|det|2 United|United|PROPN|NNP|compound|2 States|States|PROPN|NNP|nsubj|3 demanded|demand|VERB|VBD|ROOT|3 that|that|SCONJ|IN|mark|6 Iran|Iran|PROPN|NNP|nsubj|6 release|release|VERB|VB|ccomp|3 the|the|DET|DT|det|8 sailors|sailor|NOUN|NNS|dobj|6|- .|.|PUNCT|.|punct|3|-',
     [(1, 3, 'Country'), (5, 6, 'Country')]
    ),
    # Jordan urged Syria to halt the attacks.
    "urged_to": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 urged|urge|VERB|VBD|ROOT|1 Syria|Syria|PROPN|NNP|dobj|1 to|to|PART|TO|aux|4 halt|halt|VERB|VB|xcomp|1 the|the|DET|DT|det|6 attacks|attack|NOUN|NNS|dobj|4|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (2, 3, 'Country')]
    ),
    # Syria will not accept the plan from Jordan.
    "will_not_accept": (
        'Syria|Syria|PROPN|NNP|nsubj|3 will|will|AUX|MD|aux|3 not|not|PART|RB|neg|3 accept|accept|VERB|VB|ROOT|3 the|the|DET|DT|det|5 plan|plan|NOUN|NN|dobj|3 from|from|ADP|IN|prep|5 Jordan|Jordan|PROPN|NNP|pobj|6|- .|.|PUNCT|.|punct|3|-',
     [(0, 1, 'Country'), (7, 8, 'Country')]
    ),
    # Jordan, which supports the plan, met Iraqi officials.
    "relative_clause": (
        'Jordan|Jordan|PROPN|NNP|nsubj|7|- ,|,|PUNCT|,|punct|0 which|which|PRON|WDT|nsubj|3 supports|support|VERB|VBZ|relcl|0 the|the|DET|DT|det|5 plan|plan|NOUN|NN|dobj|3|- ,|,|PUNCT|,|punct|0 met|meet|VERB|VBD|ROOT|7 Iraqi|iraqi|ADJ|JJ|amod|9 officials|official|NOUN|NNS|dobj|7|- .|.|PUNCT|.|punct|7|-',
     [(0, 1, 'Country'), (8, 9, 'NORP')]
    ),
    # Yemen rejected a US request for talks.
    "rejected_request": (
        'Yemen|Yemen|PROPN|NNP|nsubj|1 rejected|reject|VERB|VBD|ROOT|1 a|a|DET|DT|det|4 US|US|PROPN|NNP|compound|4 request|request|NOUN|NN|dobj|1 for|for|ADP|IN|prep|4 talks|talk|NOUN|NNS|pobj|5|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (3, 4, 'Country')]
    ),
    # Iran's threat against Jordan angered Germany.
    "threat_against": (
        "Iran|Iran|PROPN|NNP|poss|2|- 's|'s|PART|POS|case|0 threat|threat|NOUN|NN|nsubj|5 against|against|ADP|IN|prep|2 Jordan|Jordan|PROPN|NNP|pobj|3 angered|anger|VERB|VBD|ROOT|5 Germany|Germany|PROPN|NNP|dobj|5|- .|.|PUNCT|.|punct|5|-",
     [(0, 1, 'Country'), (4, 5, 'Country'), (6, 7, 'Country')]
    ),
    # Turkey launched airstrikes on the PMF in Sinjar.
    "launched_airstrikes": (
        'Turkey|Turkey|PROPN|NNP|nsubj|1 launched|launch|VERB|VBD|ROOT|1 airstrikes|airstrike|NOUN|NNS|dobj|1 on|on|ADP|IN|prep|2 the|the|DET|DT|det|5 PMF|PMF|PROPN|NNP|pobj|3 in|in|ADP|IN|prep|5 Sinjar|Sinjar|PROPN|NNP|pobj|6|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (5, 6, 'ArmedGroup'), (7, 8, 'Settlement')]
    ),
    # Iran's support for Hezbollah worries Jordan.
    "support_for": (
        "Iran|Iran|PROPN|NNP|poss|2|- 's|'s|PART|POS|case|0 support|support|NOUN|NN|nsubj|5 for|for|ADP|IN|prep|2 Hezbollah|Hezbollah|PROPN|NNP|pobj|3 worries|worry|VERB|VBZ|ROOT|5 Jordan|Jordan|PROPN|NNP|dobj|5|- .|.|PUNCT|.|punct|5|-",
     [(0, 1, 'Country'), (4, 5, 'ArmedGroup'), (6, 7, 'Country')]
    ),
    # Iraq saw the strike as an aggression by the United States.
    "saw_as_aggression": (
        'Iraq|Iraq|PROPN|NNP|nsubj|1 saw|see|VERB|VBD|ROOT|1 the|the|DET|DT|det|3 strike|strike|NOUN|NN|dobj|1 as|as|ADP|IN|prep|1 an|an|DET|DT|det|6 aggression|aggression|NOUN|NN|pobj|4 by|by|ADP|IN|prep|6 the|the|DET|DT|det|10 United|United|PROPN|NNP|compound|10 States|States|PROPN|NNP|pobj|7|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (9, 11, 'Country')]
    ),
    # Turkish troops entered Syria to fight the PMF.
    "purpose_clause": (
        'Turkish|turkish|ADJ|JJ|amod|1 troops|troop|NOUN|NNS|nsubj|2 entered|enter|VERB|VBD|ROOT|2 Syria|Syria|PROPN|NNP|dobj|2 to|to|PART|TO|aux|5 fight|fight|VERB|VB|advcl|2 the|the|DET|DT|det|7 PMF|PMF|PROPN|NNP|dobj|5|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (3, 4, 'Country'), (7, 8, 'ArmedGroup')]
    ),
    # Turkey will strike the PMF unless Iraq expels the fighters.
    "unless": (
        'Turkey|Turkey|PROPN|NNP|nsubj|2 will|will|AUX|MD|aux|2 strike|strike|VERB|VB|ROOT|2 the|the|DET|DT|det|4 PMF|PMF|PROPN|NNP|dobj|2 unless|unless|SCONJ|IN|mark|7 Iraq|Iraq|PROPN|NNP|nsubj|7 expels|expel|VERB|VBZ|advcl|2 the|the|DET|DT|det|9 fighters|fighter|NOUN|NNS|dobj|7|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'Country'), (4, 5, 'ArmedGroup'), (6, 7, 'Country')]
    ),
    # Recent Iranian and Turkish attacks on Syria angered Jordan.
    "coordinated_demonyms": (
        'Recent|recent|ADJ|JJ|amod|4 Iranian|iranian|ADJ|JJ|amod|4 and|and|CCONJ|CC|cc|1 Turkish|turkish|ADJ|JJ|conj|1 attacks|attack|NOUN|NNS|nsubj|7 on|on|ADP|IN|prep|4 Syria|Syria|PROPN|NNP|pobj|5 angered|anger|VERB|VBD|ROOT|7 Jordan|Jordan|PROPN|NNP|dobj|7|- .|.|PUNCT|.|punct|7|-',
     [(1, 2, 'NORP'), (3, 4, 'NORP'), (6, 7, 'Country'), (8, 9, 'Country')]
    ),
    # Jordanian protesters attacked the Iraqi embassy.
    "protesters_attacked": (
        'Jordanian|jordanian|ADJ|JJ|amod|1 protesters|protester|NOUN|NNS|nsubj|2 attacked|attack|VERB|VBD|ROOT|2 the|the|DET|DT|det|5 Iraqi|iraqi|ADJ|JJ|amod|5 embassy|embassy|NOUN|NN|dobj|2|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (4, 5, 'NORP')]
    ),
    # Iraq and Jordan reached a deal with Syria on water.
    "deal_with": (
        'Iraq|Iraq|PROPN|NNP|nsubj|3 and|and|CCONJ|CC|cc|0 Jordan|Jordan|PROPN|NNP|conj|0 reached|reach|VERB|VBD|ROOT|3 a|a|DET|DT|det|5 deal|deal|NOUN|NN|dobj|3 with|with|ADP|IN|prep|5 Syria|Syria|PROPN|NNP|pobj|6 on|on|ADP|IN|prep|3 water|water|NOUN|NN|pobj|8|- .|.|PUNCT|.|punct|3|-',
     [(0, 1, 'Country'), (2, 3, 'Country'), (7, 8, 'Country')]
    ),
    # Jordan offered to negotiate with the president of Syria.
    "offered_to_negotiate": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 offered|offer|VERB|VBD|ROOT|1 to|to|PART|TO|aux|3 negotiate|negotiate|VERB|VB|xcomp|1 with|with|ADP|IN|prep|3 the|the|DET|DT|det|6 president|president|NOUN|NN|pobj|4 of|of|ADP|IN|prep|6 Syria|Syria|PROPN|NNP|pobj|7|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (8, 9, 'Country')]
    ),
    # Jordan and Turkey agreed to form joint committees.
    "agreed_jointly": (
        'Jordan|Jordan|PROPN|NNP|nsubj|3 and|and|CCONJ|CC|cc|0 Turkey|Turkey|PROPN|NNP|conj|0 agreed|agree|VERB|VBD|ROOT|3 to|to|PART|TO|aux|5 form|form|VERB|VB|xcomp|3 joint|joint|ADJ|JJ|amod|7 committees|committee|NOUN|NNS|dobj|5|- .|.|PUNCT|.|punct|3|-',
     [(0, 1, 'Country'), (2, 3, 'Country')]
    ),
    # The Syrian minister said Iraq had no intention of leaving, warning that Turkey will strike if Iraq stays.
    "warning_participle": (
        'The|the|DET|DT|det|2 Syrian|syrian|ADJ|JJ|amod|2 minister|minister|NOUN|NN|nsubj|3 said|say|VERB|VBD|ROOT|3 Iraq|Iraq|PROPN|NNP|nsubj|5 had|have|VERB|VBD|ccomp|3 no|no|DET|DT|det|7 intention|intention|NOUN|NN|dobj|5 of|of|ADP|IN|prep|7 leaving|leaving|NOUN|NN|pobj|8|- ,|,|PUNCT|,|punct|5 warning|warn|VERB|VBG|advcl|5 that|that|SCONJ|IN|mark|15 Turkey|Turkey|PROPN|NNP|nsubj|15 will|will|AUX|MD|aux|15 strike|strike|VERB|VB|ccomp|11 if|if|SCONJ|IN|mark|18 Iraq|Iraq|PROPN|NNP|nsubj|18 stays|stay|VERB|VBZ|advcl|15|- .|.|PUNCT|.|punct|3|-',
     [(1, 2, 'NORP'), (4, 5, 'Country'), (13, 14, 'Country'), (17, 18, 'Country')]
    ),
    # Lebanon thanked Iran for supporting Hezbollah.
    "thanked_for": (
        'Lebanon|Lebanon|PROPN|NNP|nsubj|1 thanked|thank|VERB|VBD|ROOT|1 Iran|Iran|PROPN|NNP|dobj|1 for|for|ADP|IN|prep|1 supporting|support|VERB|VBG|pcomp|3 Hezbollah|Hezbollah|PROPN|NNP|dobj|4|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (2, 3, 'Country'), (5, 6, 'ArmedGroup')]
    ),
    # US troops were targeted by pro-Iran militia groups.
    "pro_prefix": (
        'US|US|PROPN|NNP|compound|1 troops|troop|NOUN|NNS|nsubjpass|3 were|be|AUX|VBD|auxpass|3 targeted|target|VERB|VBN|ROOT|3 by|by|ADP|IN|agent|3 pro|pro|ADJ|JJ|amod|9|- -|-|ADJ|JJ|amod|9|- Iran|iran|ADJ|JJ|amod|9 militia|militia|NOUN|NN|compound|9 groups|group|NOUN|NNS|pobj|4|- .|.|PUNCT|.|punct|3|-',
     [(0, 1, 'Country'), (7, 8, 'Country')]
    ),
    # Iraq held a series of meetings with Iranian officials, including Karim Nasser and Omar Haddad.
    "listed_officials": (
        'Iraq|Iraq|PROPN|NNP|nsubj|1 held|hold|VERB|VBD|ROOT|1 a|a|DET|DT|det|3 series|series|NOUN|NN|dobj|1 of|of|ADP|IN|prep|3 meetings|meeting|NOUN|NNS|pobj|4 with|with|ADP|IN|prep|5 Iranian|iranian|ADJ|JJ|amod|8 officials|official|NOUN|NNS|pobj|6|- ,|,|PUNCT|,|punct|8 including|include|VERB|VBG|prep|8 Karim|Karim|PROPN|NNP|compound|12 Nasser|Nasser|PROPN|NNP|pobj|10 and|and|CCONJ|CC|cc|12 Omar|Omar|PROPN|NNP|compound|15 Haddad|Haddad|PROPN|NNP|conj|12|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (7, 8, 'NORP'), (11, 13, 'Person'), (14, 16, 'Person')]
    ),
    # Turkey imposed a curfew in Sinjar.
    "curfew_in": (
        'Turkey|Turkey|PROPN|NNP|nsubj|1 imposed|impose|VERB|VBD|ROOT|1 a|a|DET|DT|det|3 curfew|curfew|NOUN|NN|dobj|1 in|in|ADP|IN|prep|3 Sinjar|Sinjar|PROPN|NNP|pobj|4|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (5, 6, 'Settlement')]
    ),
    # Jordan renewed its call for Syria to release the prisoners.
    "call_for_to": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 renewed|renew|VERB|VBD|ROOT|1 its|its|PRON|PRP$|poss|3 call|call|NOUN|NN|dobj|1 for|for|SCONJ|IN|mark|7 Syria|Syria|PROPN|NNP|nsubj|7 to|to|PART|TO|aux|7 release|release|VERB|VB|advcl|3 the|the|DET|DT|det|9 prisoners|prisoner|NOUN|NNS|dobj|7|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (5, 6, 'Country')]
    ),
    # Jordan is prepared to lift the ban on Hezbollah.
    "lift_ban_on": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 is|be|AUX|VBZ|ROOT|1 prepared|prepared|ADJ|JJ|acomp|1 to|to|PART|TO|aux|4 lift|lift|VERB|VB|xcomp|2 the|the|DET|DT|det|6 ban|ban|NOUN|NN|dobj|4 on|on|ADP|IN|prep|6 Hezbollah|Hezbollah|PROPN|NNP|pobj|7|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (8, 9, 'ArmedGroup')]
    ),
    # Syrian rebels have sworn to fight until they retake the border towns.
    "sworn_infinitive": (
        'Syrian|syrian|ADJ|JJ|amod|1 rebels|rebel|NOUN|NNS|nsubj|3 have|have|AUX|VBP|aux|3 sworn|swear|VERB|VBN|ROOT|3 to|to|PART|TO|aux|5 fight|fight|VERB|VB|advcl|3 until|until|SCONJ|IN|mark|8 they|they|PRON|PRP|nsubj|8 retake|retake|VERB|VBP|advcl|3 the|the|DET|DT|det|11 border|border|NOUN|NN|compound|11 towns|town|NOUN|NNS|dobj|8|- .|.|PUNCT|.|punct|3|-',
     [(0, 1, 'NORP')]
    ),
    # Jordan prepared to resume shelling Syria.
    "prepared_resume": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 prepared|prepare|VERB|VBD|ROOT|1 to|to|PART|TO|aux|3 resume|resume|VERB|VB|xcomp|1 shelling|shell|VERB|VBG|xcomp|3 Syria|Syria|PROPN|NNP|dobj|4|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (5, 6, 'Country')]
    ),
    # Iraq allowed Jordan to open a consulate.
    "allowed_to": (
        'Iraq|Iraq|PROPN|NNP|nsubj|1 allowed|allow|VERB|VBD|ROOT|1 Jordan|Jordan|PROPN|NNP|nsubj|4 to|to|PART|TO|aux|4 open|open|VERB|VB|ccomp|1 a|a|DET|DT|det|6 consulate|consulate|NOUN|NN|dobj|4|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (2, 3, 'Country')]
    ),
    # Jordan has threatened to ban Syrian opposition candidates from the vote.
    "threatened_ban_candidates": (
        'Jordan|Jordan|PROPN|NNP|nsubj|2 has|have|AUX|VBZ|aux|2 threatened|threaten|VERB|VBN|ROOT|2 to|to|PART|TO|aux|4 ban|ban|VERB|VB|xcomp|2 Syrian|syrian|ADJ|JJ|amod|7 opposition|opposition|NOUN|NN|compound|7 candidates|candidate|NOUN|NNS|dobj|4 from|from|ADP|IN|prep|4 the|the|DET|DT|det|10 vote|vote|NOUN|NN|pobj|8|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'Country'), (5, 6, 'NORP')]
    ),
    # Iraq launched an investigation into crimes committed by Turkish forces.
    "investigation_into": (
        'Iraq|Iraq|PROPN|NNP|nsubj|1 launched|launch|VERB|VBD|ROOT|1 an|an|DET|DT|det|3 investigation|investigation|NOUN|NN|dobj|1 into|into|ADP|IN|prep|3 crimes|crime|NOUN|NNS|pobj|4 committed|commit|VERB|VBN|acl|5 by|by|ADP|IN|agent|6 Turkish|turkish|ADJ|JJ|amod|9 forces|force|NOUN|NNS|pobj|7|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (8, 9, 'NORP')]
    ),
    # Syrian students staged demonstrations to demand reforms by Jordan.
    "purpose_demand": (
        'Syrian|syrian|ADJ|JJ|amod|1 students|student|NOUN|NNS|nsubj|2 staged|stag|VERB|VBD|ROOT|2 demonstrations|demonstration|NOUN|NNS|dobj|2 to|to|PART|TO|aux|5 demand|demand|VERB|VB|acl|3 reforms|reform|NOUN|NNS|dobj|5 by|by|ADP|IN|prep|5 Jordan|Jordan|PROPN|NNP|pobj|7|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (8, 9, 'Country')]
    ),
    # Turkey threatened to impose a curfew in Sinjar.
    "threatened_curfew_in": (
        'Turkey|Turkey|PROPN|NNP|nsubj|1 threatened|threaten|VERB|VBD|ROOT|1 to|to|PART|TO|aux|3 impose|impose|VERB|VB|xcomp|1 a|a|DET|DT|det|5 curfew|curfew|NOUN|NN|dobj|3 in|in|ADP|IN|prep|3 Sinjar|Sinjar|PROPN|NNP|pobj|6|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (7, 8, 'Settlement')]
    ),
    # Gunmen loyal to Kataib Hezbollah attacked a base in Anbar.
    "loyal_to": (
        'Gunmen|gunman|NOUN|NNS|nsubj|5 loyal|loyal|ADJ|JJ|amod|0 to|to|ADP|IN|prep|1 Kataib|Kataib|PROPN|NNP|compound|4 Hezbollah|Hezbollah|PROPN|NNP|pobj|2 attacked|attack|VERB|VBD|ROOT|5 a|a|DET|DT|det|7 base|base|NOUN|NN|dobj|5 in|in|ADP|IN|prep|5 Anbar|Anbar|PROPN|NNP|pobj|8|- .|.|PUNCT|.|punct|5|-',
     [(3, 5, 'ArmedGroup'), (9, 10, 'Region')]
    ),
    # Syrian rebels announced that Jordan and Turkey must agree to the plan before they disarm.
    "announced_must_agree": (
        'Syrian|syrian|ADJ|JJ|amod|1 rebels|rebel|NOUN|NNS|nsubj|2 announced|announce|VERB|VBD|ROOT|2 that|that|SCONJ|IN|mark|8 Jordan|Jordan|PROPN|NNP|nsubj|8 and|and|CCONJ|CC|cc|4 Turkey|Turkey|PROPN|NNP|conj|4 must|must|AUX|MD|aux|8 agree|agree|VERB|VB|ccomp|2 to|to|ADP|IN|prep|8 the|the|DET|DT|det|11 plan|plan|NOUN|NN|pobj|9 before|before|SCONJ|IN|mark|14 they|they|PRON|PRP|nsubj|14 disarm|disarm|VERB|VBP|advcl|8|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (4, 5, 'Country'), (6, 7, 'Country')]
    ),
    # Iraq said US and Turkish forces must leave.
    "said_forces_must": (
        'Iraq|Iraq|PROPN|NNP|nsubj|1 said|say|VERB|VBD|ROOT|1 US|US|PROPN|NNP|nmod|5 and|and|CCONJ|CC|cc|2 Turkish|turkish|ADJ|JJ|conj|2 forces|force|NOUN|NNS|nsubj|7 must|must|AUX|MD|aux|7 leave|leave|VERB|VB|ccomp|1|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (2, 3, 'Country'), (4, 5, 'NORP')]
    ),
    # Jordanian parties supported the Syrian government.
    "parties_supported": (
        'Jordanian|jordanian|ADJ|JJ|amod|1 parties|party|NOUN|NNS|nsubj|2 supported|support|VERB|VBD|ROOT|2 the|the|DET|DT|det|5 Syrian|syrian|ADJ|JJ|amod|5 government|government|NOUN|NN|dobj|2|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (4, 6, 'Country')]
    ),
    # Turkish tanks shelled Syria.
    "tanks_shelled": (
        'Turkish|turkish|ADJ|JJ|amod|1 tanks|tank|NOUN|NNS|nsubj|2 shelled|shell|VERB|VBD|ROOT|2 Syria|Syria|PROPN|NNP|dobj|2|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (3, 4, 'Country')]
    ),
    # Turkey vowed not to halt the strikes it began in the spring when the war started, unless the PMF leaves Sinjar.
    "unless_deep": (
        'Turkey|Turkey|PROPN|NNP|nsubj|1 vowed|vow|VERB|VBD|ROOT|1 not|not|PART|RB|neg|4 to|to|PART|TO|aux|4 halt|halt|VERB|VB|xcomp|1 the|the|DET|DT|det|6 strikes|strike|NOUN|NNS|dobj|4 it|it|PRON|PRP|nsubj|8 began|begin|VERB|VBD|relcl|6 in|in|ADP|IN|prep|8 the|the|DET|DT|det|11 spring|spring|NOUN|NN|pobj|9 when|when|SCONJ|WRB|advmod|15 the|the|DET|DT|det|14 war|war|NOUN|NN|nsubj|15 started|start|VERB|VBD|relcl|11|- ,|,|PUNCT|,|punct|1 unless|unless|SCONJ|IN|mark|20 the|the|DET|DT|det|19 PMF|PMF|PROPN|NNP|nsubj|20 leaves|leave|VERB|VBZ|advcl|1 Sinjar|Sinjar|PROPN|NNP|dobj|20|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (10, 12, 'DATE'), (19, 20, 'ArmedGroup'), (21, 22, 'Settlement')]
    ),
    # Iraq accused a faction within the PMF of carrying out the strike.
    "faction_within": (
        'Iraq|Iraq|PROPN|NNP|nsubj|1 accused|accuse|VERB|VBD|ROOT|1 a|a|DET|DT|det|3 faction|faction|NOUN|NN|dobj|1 within|within|ADP|IN|prep|1 the|the|DET|DT|det|6 PMF|PMF|PROPN|NNP|pobj|4 of|of|ADP|IN|prep|1 carrying|carry|VERB|VBG|pcomp|7 out|out|ADP|RP|prt|8 the|the|DET|DT|det|11 strike|strike|NOUN|NN|dobj|8|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (6, 7, 'ArmedGroup')]
    ),
    # The Syrian minister said reports from the border indicate Iraq has no plan to leave, warning that Turkey will strike if Iraq stays.
    "warning_deep": (
        'The|the|DET|DT|det|2 Syrian|syrian|ADJ|JJ|amod|2 minister|minister|NOUN|NN|nsubj|3 said|say|VERB|VBD|ROOT|3 reports|report|NOUN|NNS|nsubj|8 from|from|ADP|IN|prep|4 the|the|DET|DT|det|7 border|border|NOUN|NN|pobj|5 indicate|indicate|VERB|VBP|ccomp|3 Iraq|Iraq|PROPN|NNP|nsubj|10 has|have|VERB|VBZ|ccomp|8 no|no|DET|DT|det|12 plan|plan|NOUN|NN|dobj|10 to|to|PART|TO|aux|14 leave|leave|VERB|VB|acl|12|- ,|,|PUNCT|,|punct|8 warning|warn|VERB|VBG|advcl|8 that|that|SCONJ|IN|mark|20 Turkey|Turkey|PROPN|NNP|nsubj|20 will|will|AUX|MD|aux|20 strike|strike|VERB|VB|ccomp|16 if|if|SCONJ|IN|mark|23 Iraq|Iraq|PROPN|NNP|nsubj|23 stays|stay|VERB|VBZ|advcl|20|- .|.|PUNCT|.|punct|3|-',
     [(1, 2, 'NORP'), (9, 10, 'Country'), (18, 19, 'Country'), (22, 23, 'Country')]
    ),
    # Jordan demanded an admission by Syria that its forces attacked Iraq.
    "demanded_admission": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 demanded|demand|VERB|VBD|ROOT|1 an|an|DET|DT|det|3 admission|admission|NOUN|NN|dobj|1 by|by|ADP|IN|prep|3 Syria|Syria|PROPN|NNP|pobj|4 that|that|SCONJ|IN|mark|9 its|its|PRON|PRP$|poss|8 forces|force|NOUN|NNS|nsubj|9 attacked|attack|VERB|VBD|acl|3 Iraq|Iraq|PROPN|NNP|dobj|9|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (5, 6, 'Country'), (10, 11, 'Country')]
    ),
    # Iraq will support a plan that aims to impose a blockade on Syria.
    "plan_aims_blockade": (
        'Iraq|Iraq|PROPN|NNP|nsubj|2 will|will|AUX|MD|aux|2 support|support|VERB|VB|ROOT|2 a|a|DET|DT|det|4 plan|plan|NOUN|NN|dobj|2 that|that|PRON|WDT|nsubj|6 aims|aim|VERB|VBZ|relcl|4 to|to|PART|TO|aux|8 impose|impose|VERB|VB|xcomp|6 a|a|DET|DT|det|10 blockade|blockade|NOUN|NN|dobj|8 on|on|ADP|IN|prep|10 Syria|Syria|PROPN|NNP|pobj|11|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'Country'), (12, 13, 'Country')]
    ),
    # Syrian students demonstrated in Raqqa calling for independence from Syria.
    "protest_calling_for": (
        'Syrian|syrian|ADJ|JJ|amod|1 students|student|NOUN|NNS|nsubj|2 demonstrated|demonstrate|VERB|VBD|ROOT|2 in|in|ADP|IN|prep|2 Raqqa|Raqqa|PROPN|NNP|pobj|3 calling|call|VERB|VBG|advcl|2 for|for|ADP|IN|prep|5 independence|independence|NOUN|NN|pobj|6 from|from|ADP|IN|prep|7 Syria|Syria|PROPN|NNP|pobj|8|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (4, 5, 'Settlement'), (9, 10, 'Country')]
    ),
    # Jordan has taken several steps to improve ties with Syria.
    "took_steps": (
        'Jordan|Jordan|PROPN|NNP|nsubj|2 has|have|AUX|VBZ|aux|2 taken|take|VERB|VBN|ROOT|2 several|several|ADJ|JJ|amod|4 steps|step|NOUN|NNS|dobj|2 to|to|PART|TO|aux|6 improve|improve|VERB|VB|advcl|2 ties|tie|NOUN|NNS|dobj|6 with|with|ADP|IN|prep|7 Syria|Syria|PROPN|NNP|pobj|8|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'Country'), (9, 10, 'Country')]
    ),
    # Turkish forces took the town of Raqqa.
    "took_town": (
        'Turkish|turkish|ADJ|JJ|amod|1 forces|force|NOUN|NNS|nsubj|2 took|take|VERB|VBD|ROOT|2 the|the|DET|DT|det|4 town|town|NOUN|NN|dobj|2 of|of|ADP|IN|prep|4 Raqqa|Raqqa|PROPN|NNP|pobj|5|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (6, 7, 'Settlement')]
    ),
    # The Red Cross operating in Lebanon said Syrian forces must leave.
    "participle_subject": (
        'The|the|DET|DT|det|2 Red|Red|PROPN|NNP|compound|2 Cross|Cross|PROPN|NNP|nsubj|3 operating|operate|VERB|VBG|nsubj|6 in|in|ADP|IN|prep|3 Lebanon|Lebanon|PROPN|NNP|pobj|4 said|say|VERB|VBD|ROOT|6 Syrian|syrian|ADJ|JJ|amod|8 forces|force|NOUN|NNS|nsubj|10 must|must|AUX|MD|aux|10 leave|leave|VERB|VB|ccomp|6|- .|.|PUNCT|.|punct|6|-',
     [(1, 3, 'Organization'), (5, 6, 'Country'), (7, 8, 'NORP')]
    ),
    # Syrian farmers continued their hunger strike to demand the resignation of the Iraqi president.
    "hunger_strike_purpose": (
        'Syrian|syrian|ADJ|JJ|amod|1 farmers|farmer|NOUN|NNS|nsubj|2 continued|continue|VERB|VBD|ROOT|2 their|their|PRON|PRP$|poss|5 hunger|hunger|NOUN|NN|compound|5 strike|strike|NOUN|NN|dobj|2 to|to|PART|TO|aux|7 demand|demand|VERB|VB|advcl|2 the|the|DET|DT|det|9 resignation|resignation|NOUN|NN|dobj|7 of|of|ADP|IN|prep|9 the|the|DET|DT|det|13 Iraqi|iraqi|ADJ|JJ|amod|13 president|president|NOUN|NN|pobj|10|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (12, 13, 'NORP')]
    ),
    # Prisoners rioted at a jail in Raqqa on Monday.
    "riot_place": (
        'Prisoners|prisoner|NOUN|NNS|nsubj|1 rioted|riot|VERB|VBD|ROOT|1 at|at|ADP|IN|prep|1 a|a|DET|DT|det|4 jail|jail|NOUN|NN|pobj|2 in|in|ADP|IN|prep|4 Raqqa|Raqqa|PROPN|NNP|pobj|5 on|on|ADP|IN|prep|1 Monday|Monday|PROPN|NNP|pobj|7|- .|.|PUNCT|.|punct|1|-',
     [(6, 7, 'Settlement'), (8, 9, 'DATE')]
    ),
    # Iran tried to hack into the computers of Iraqi officials.
    "hack_into": (
        'Iran|Iran|PROPN|NNP|nsubj|1 tried|try|VERB|VBD|ROOT|1 to|to|PART|TO|aux|3 hack|hack|VERB|VB|xcomp|1 into|into|ADP|IN|prep|3 the|the|DET|DT|det|6 computers|computer|NOUN|NNS|pobj|4 of|of|ADP|IN|prep|6 Iraqi|iraqi|ADJ|JJ|amod|9 officials|official|NOUN|NNS|pobj|7|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (8, 9, 'NORP')]
    ),
    # Jordan mobilized reservists for a war against Syria.
    "mobilized_for_war": (
        'Jordan|Jordan|PROPN|NNP|nsubj|1 mobilized|mobilize|VERB|VBD|ROOT|1 reservists|reservist|NOUN|NNS|dobj|1 for|for|ADP|IN|prep|2 a|a|DET|DT|det|5 war|war|NOUN|NN|pobj|3 against|against|ADP|IN|prep|5 Syria|Syria|PROPN|NNP|pobj|6|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (7, 8, 'Country')]
    ),
    # Turkish authorities imposed a curfew in the town of Sinjar in northern Iraq.
    "curfew_town_of": (
        'Turkish|turkish|ADJ|JJ|amod|1 authorities|authority|NOUN|NNS|nsubj|2 imposed|impose|VERB|VBD|ROOT|2 a|a|DET|DT|det|4 curfew|curfew|NOUN|NN|dobj|2 in|in|ADP|IN|prep|4 the|the|DET|DT|det|7 town|town|NOUN|NN|pobj|5 of|of|ADP|IN|prep|7 Sinjar|Sinjar|PROPN|NNP|pobj|8 in|in|ADP|IN|prep|7 northern|northern|ADJ|JJ|amod|12 Iraq|Iraq|PROPN|NNP|pobj|10|- .|.|PUNCT|.|punct|2|-',
     [(0, 1, 'NORP'), (9, 10, 'Settlement'), (12, 13, 'Country')]
    ),
    # Fighters loyal to the Syrian army's commander Omar Haddad said they shelled Raqqa.
    "they_loyal_speaker": (
        "Fighters|fighter|NOUN|NNS|nsubj|10 loyal|loyal|ADJ|JJ|amod|0 to|to|ADP|IN|prep|1 the|the|DET|DT|det|5 Syrian|syrian|ADJ|JJ|amod|5 army|army|NOUN|NN|poss|7|- 's|'s|PART|POS|case|5 commander|commander|NOUN|NN|pobj|2 Omar|Omar|PROPN|NNP|compound|9 Haddad|Haddad|PROPN|NNP|appos|7 said|say|VERB|VBD|ROOT|10 they|they|PRON|PRP|nsubj|12 shelled|shell|VERB|VBD|ccomp|10 Raqqa|Raqqa|PROPN|NNP|dobj|12|- .|.|PUNCT|.|punct|10|-",
     [(4, 6, 'Country'), (8, 10, 'Person'), (13, 14, 'Settlement')]
    ),
    # A camp for Syrian refugees was attacked by Turkish militiamen.
    "camp_for_refugees": (
        'A|a|DET|DT|det|1 camp|camp|NOUN|NN|nsubjpass|6 for|for|ADP|IN|prep|1 Syrian|syrian|ADJ|JJ|amod|4 refugees|refugee|NOUN|NNS|pobj|2 was|be|AUX|VBD|auxpass|6 attacked|attack|VERB|VBN|ROOT|6 by|by|ADP|IN|agent|6 Turkish|turkish|ADJ|JJ|amod|9 militiamen|militiaman|NOUN|NNS|pobj|7|- .|.|PUNCT|.|punct|6|-',
     [(3, 4, 'NORP'), (8, 9, 'NORP')]
    ),
    # Syria rejected a Turkish ultimatum to hand over the prisoners.
    "rejected_ultimatum": (
        'Syria|Syria|PROPN|NNP|nsubj|1 rejected|reject|VERB|VBD|ROOT|1 a|a|DET|DT|det|4 Turkish|turkish|ADJ|JJ|amod|4 ultimatum|ultimatum|NOUN|NN|dobj|1 to|to|PART|TO|aux|6 hand|hand|VERB|VB|acl|4 over|over|ADP|RP|prt|6 the|the|DET|DT|det|9 prisoners|prisoner|NOUN|NNS|dobj|6|- .|.|PUNCT|.|punct|1|-',
     [(0, 1, 'Country'), (3, 4, 'NORP')]
    ),
}


@pytest.fixture(scope="module")
def gazetteer(tmp_path_factory: pytest.TempPathFactory) -> Gazetteer:
    return rule_gazetteer(tmp_path_factory.mktemp("gaz"))


def read(name: str, gazetteer: Gazetteer) -> tuple[str, Extraction]:
    rows, ents = PARSES[name]
    doc = frozen_doc(rows, ents, gazetteer)
    return doc.text, extract_article(doc, Article("t", "t", "", doc.text, date=DATE), gazetteer)


def events(name: str, gazetteer: Gazetteer) -> set[tuple[str, frozenset[tuple[str, str]]]]:
    """(PLOVER type, {(role, words)}) of every event read."""
    text, found = read(name, gazetteer)
    return {(e.kind, frozenset((role, text[r.start : r.end]) for role, r in e.participants)) for e in found.events}


def edges(name: str, gazetteer: Gazetteer) -> set[tuple[str, str, str]]:
    text, found = read(name, gazetteer)
    return {(text[r.subject.start : r.subject.end], r.predicate, text[r.object.start : r.object.end]) for r in found.relations}


def kinds(name: str, gazetteer: Gazetteer) -> set[str]:
    return {kind for kind, _ in events(name, gazetteer)}


def roles(*pairs: tuple[str, str]) -> frozenset[tuple[str, str]]:
    return frozenset(pairs)


# ---------------------------------------------------------------- voice


def test_passive_without_agent_takes_the_act_that_names_it(gazetteer: Gazetteer) -> None:
    # "Two Syrian soldiers were killed in a Turkish drone strike": Turkey attacked Syria
    assert ("Turkish", "attacked", "Syrian") in edges("killed_in_strike", gazetteer)
    assert kinds("killed_in_strike", gazetteer) == {"ASSAULT"}


# ---------------------------------------------------------------- intentions, refusals, denials


def test_a_promised_cooperative_act_is_agree(gazetteer: Gazetteer) -> None:
    assert events("promised_aid", gazetteer) == {("AGREE", roles(("actor", "Jordan"), ("target", "Lebanon")))}
    assert ("Jordan", "agreedWith", "Lebanon") in edges("promised_aid", gazetteer)


def test_a_vowed_hostile_act_is_a_threat_not_an_attack(gazetteer: Gazetteer) -> None:
    assert kinds("vowed_attack", gazetteer) == {"THREATEN"}
    assert ("Kataib Hezbollah", "threatened", "American") in edges("vowed_attack", gazetteer)
    assert not any(p == "attacked" for _, p, _ in edges("vowed_attack", gazetteer))


def test_an_announced_cooperative_act_is_agree(gazetteer: Gazetteer) -> None:
    assert events("will_provide_aid", gazetteer) == {("AGREE", roles(("actor", "Germany"), ("target", "Jordan")))}


def test_reported_would_with_a_hostile_act_is_a_threat_by_the_speaker(gazetteer: Gazetteer) -> None:
    # "Iranian officials said they would boycott talks with the United States"
    assert events("said_would_boycott", gazetteer) == {
        ("THREATEN", roles(("actor", "Iranian"), ("target", "United States")))
    }


def test_refusing_is_reject_whatever_is_refused(gazetteer: Gazetteer) -> None:
    assert events("refused_withdraw", gazetteer) == {("REJECT", roles(("actor", "Syria"), ("target", "Lebanon")))}


def test_failing_a_cooperative_act_is_reject(gazetteer: Gazetteer) -> None:
    assert kinds("failed_agreement", gazetteer) == {"REJECT"}


def test_a_denied_act_is_no_event(gazetteer: Gazetteer) -> None:
    assert events("denied_attacking", gazetteer) == set()
    assert edges("denied_attacking", gazetteer) == set()


def test_negated_cooperation_is_reject(gazetteer: Gazetteer) -> None:
    assert ("REJECT", roles(("actor", "Syria"), ("target", "Jordan"))) in events("will_not_accept", gazetteer)


def test_an_unless_clause_makes_a_threat_against_whom_it_is_about(gazetteer: Gazetteer) -> None:
    assert kinds("unless", gazetteer) == {"THREATEN"}
    assert ("Turkey", "threatened", "PMF") in edges("unless", gazetteer)


# ---------------------------------------------------------------- requests


def test_a_reported_obligation_is_the_speakers_request(gazetteer: Gazetteer) -> None:
    assert events("said_must", gazetteer) == {("REQUEST", roles(("actor", "Turkey"), ("target", "Syria")))}


def test_demanding_that_someone_act_targets_them(gazetteer: Gazetteer) -> None:
    assert events("demanded_that", gazetteer) == {("REQUEST", roles(("actor", "United States"), ("target", "Iran")))}


def test_urging_someone_to_act_targets_them_and_the_act_is_no_event(gazetteer: Gazetteer) -> None:
    assert events("urged_to", gazetteer) == {("REQUEST", roles(("actor", "Jordan"), ("target", "Syria")))}


# ---------------------------------------------------------------- what is left alone


def test_a_relative_clause_describes_and_reports_no_event(gazetteer: Gazetteer) -> None:
    # "Jordan, which supports the plan, met Iraqi officials": the meeting, not the support
    assert kinds("relative_clause", gazetteer) == {"CONSULT"}


def test_a_purpose_clause_is_no_event_of_its_own(gazetteer: Gazetteer) -> None:
    # "Turkish troops entered Syria to fight the PMF": why they entered, not a fight that happened
    assert "ASSAULT" not in kinds("purpose_clause", gazetteer)


# ---------------------------------------------------------------- nouns


def test_an_act_noun_as_object_stands_for_its_agent(gazetteer: Gazetteer) -> None:
    # "Yemen rejected a US request for talks": Yemen rejected the US; the request is no event of its own
    assert events("rejected_request", gazetteer) == {("REJECT", roles(("actor", "Yemen"), ("target", "US")))}


def test_a_possessed_event_noun_names_its_agent(gazetteer: Gazetteer) -> None:
    assert ("THREATEN", roles(("actor", "Iran"), ("target", "Jordan"))) in events("threat_against", gazetteer)


def test_a_light_verb_gives_its_subject_to_the_event_noun(gazetteer: Gazetteer) -> None:
    assert events("launched_airstrikes", gazetteer) == {("ASSAULT", roles(("actor", "Turkey"), ("target", "PMF")))}


def test_a_standing_stance_is_an_edge_not_an_event(gazetteer: Gazetteer) -> None:
    assert ("Iran", "supported", "Hezbollah") in edges("support_for", gazetteer)
    assert "SUPPORT" not in kinds("support_for", gazetteer)


# ---------------------------------------------------------------- attribution


def test_seeing_an_act_as_aggression_by_someone_criticizes_them(gazetteer: Gazetteer) -> None:
    assert ("Iraq", "criticized", "United States") in edges("saw_as_aggression", gazetteer)


def test_every_event_is_well_formed(gazetteer: Gazetteer) -> None:
    for name in PARSES:
        _, found = read(name, gazetteer)
        for event in found.events:
            assert isinstance(event, Event) and event.participants, name
            assert 0 <= event.sentence_start <= event.trigger_start < event.trigger_end <= event.sentence_end, name


# ---------------------------------------------------------------- arguments found by general syntax


def test_coordinated_modifiers_of_an_act_are_all_its_agents(gazetteer: Gazetteer) -> None:
    assert {("Iranian", "attacked", "Syria"), ("Turkish", "attacked", "Syria")} <= edges("coordinated_demonyms", gazetteer)


def test_people_of_a_country_who_are_not_its_state_give_an_event_but_no_state_edge(gazetteer: Gazetteer) -> None:
    # "Jordanian protesters attacked the Iraqi embassy": no "Jordan attacked Iraq"
    assert events("protesters_attacked", gazetteer) == {("ASSAULT", roles(("actor", "Jordanian"), ("target", "Iraqi")))}
    assert edges("protesters_attacked", gazetteer) == set()


def test_an_accord_both_sides_made_is_cooperation(gazetteer: Gazetteer) -> None:
    assert edges("agreed_jointly", gazetteer) == {("Jordan", "cooperatedWith", "Turkey")}
    assert {("Iraq", "cooperatedWith", "Syria"), ("Jordan", "cooperatedWith", "Syria")} <= edges("deal_with", gazetteer)
    # offering to negotiate *with* Syria is one side's act, and "the president of Syria" is no anaphor
    assert events("offered_to_negotiate", gazetteer) == {("AGREE", roles(("actor", "Jordan"), ("target", "Syria")))}
    assert not any(p == "cooperatedWith" for _, p, _ in edges("offered_to_negotiate", gazetteer))


def test_a_participle_after_a_reported_clause_is_the_speakers_act(gazetteer: Gazetteer) -> None:
    # "..., warning that Turkey will strike if Iraq stays": the minister threatens Iraq, not Iraq itself
    assert events("warning_participle", gazetteer) == {("THREATEN", roles(("actor", "Syrian"), ("target", "Iraq")))}


def test_praise_vouches_for_the_act_it_names(gazetteer: Gazetteer) -> None:
    assert ("Iran", "supported", "Hezbollah") in edges("thanked_for", gazetteer)


def test_a_stance_prefix_does_not_make_a_group_its_country(gazetteer: Gazetteer) -> None:
    # "targeted by pro-Iran militia groups": Iran attacked nobody
    assert events("pro_prefix", gazetteer) == {("ASSAULT", roles(("target", "US")))}


def test_people_listed_for_officials_are_whom_a_counted_meeting_was_with(gazetteer: Gazetteer) -> None:
    assert {("Iraq", "consulted", "Karim Nasser"), ("Iraq", "consulted", "Omar Haddad")} <= edges("listed_officials", gazetteer)
    assert not any(p == "consulted" and "Iran" in o for _, p, o in edges("listed_officials", gazetteer))


def test_the_place_an_act_is_aimed_at_is_its_target_when_no_actor_is(gazetteer: Gazetteer) -> None:
    assert events("curfew_in", gazetteer) == {("COERCE", roles(("actor", "Turkey"), ("target", "Sinjar")))}
    assert edges("curfew_in", gazetteer) == set()  # an event role, not an edge between actors


def test_who_a_call_asks_is_the_subject_of_its_clause(gazetteer: Gazetteer) -> None:
    assert edges("call_for_to", gazetteer) == {("Jordan", "requested", "Syria")}


def test_an_event_noun_as_object_keeps_its_own_target(gazetteer: Gazetteer) -> None:
    # "prepared to lift the ban on Hezbollah": the promise concerns Hezbollah
    assert events("lift_ban_on", gazetteer) == {("AGREE", roles(("actor", "Jordan"), ("target", "Hezbollah")))}


def test_an_infinitive_parsed_as_an_adjunct_is_still_what_was_sworn(gazetteer: Gazetteer) -> None:
    # "have sworn to fight": the parser hangs "to fight" on the verb as an adjunct
    assert events("sworn_infinitive", gazetteer) == {("THREATEN", roles(("actor", "Syrian")))}


def test_an_aspect_verb_passes_the_intention_to_the_act_it_carries(gazetteer: Gazetteer) -> None:
    # "prepared to resume shelling Syria": readying an attack on Syria (a show of force), not an offer
    assert events("prepared_resume", gazetteer) == {("MOBILIZE", roles(("actor", "Jordan"), ("target", "Syria")))}


def test_whom_a_verb_lets_or_bans_is_the_subject_the_parser_gave_its_infinitive(gazetteer: Gazetteer) -> None:
    assert events("allowed_to", gazetteer) == {("CONCEDE", roles(("actor", "Iraq"), ("target", "Jordan")))}
    assert events("threatened_ban_candidates", gazetteer) == {
        ("THREATEN", roles(("actor", "Jordan"), ("target", "Syrian")))
    }


def test_an_investigation_targets_who_committed_what_it_looks_into(gazetteer: Gazetteer) -> None:
    assert ("Iraq", "investigated", "Turkish") in edges("investigation_into", gazetteer)


def test_a_protest_presses_whom_its_purpose_demands_of(gazetteer: Gazetteer) -> None:
    assert events("purpose_demand", gazetteer) == {("PROTEST", roles(("actor", "Syrian"), ("target", "Jordan")))}


def test_a_threatened_act_on_a_place_targets_the_place(gazetteer: Gazetteer) -> None:
    assert events("threatened_curfew_in", gazetteer) == {("THREATEN", roles(("actor", "Turkey"), ("target", "Sinjar")))}


def test_fighters_loyal_to_a_group_act_for_it_in_events_only(gazetteer: Gazetteer) -> None:
    assert events("loyal_to", gazetteer) == {("ASSAULT", roles(("actor", "Kataib Hezbollah"), ("target", "Anbar")))}
    assert not any(s == "Kataib Hezbollah" for s, _, _ in edges("loyal_to", gazetteer))


def test_a_reported_obligation_is_a_request_even_of_an_intent_verb(gazetteer: Gazetteer) -> None:
    # "announced that Jordan and Turkey must agree to ...": asked, not agreed
    assert events("announced_must_agree", gazetteer) == {
        ("REQUEST", roles(("actor", "Syrian"), ("target", "Jordan"), ("target", "Turkey")))
    }


def test_coordinated_owners_of_a_descriptor_are_all_its_states(gazetteer: Gazetteer) -> None:
    assert edges("said_forces_must", gazetteer) == {("Iraq", "requested", "US"), ("Iraq", "requested", "Turkish")}


def test_people_of_a_country_with_no_state_role_give_no_state_edge(gazetteer: Gazetteer) -> None:
    assert events("parties_supported", gazetteer) == {
        ("SUPPORT", roles(("actor", "Jordanian"), ("target", "Syrian government")))
    }
    assert edges("parties_supported", gazetteer) == set()
    # a weapons platform acts for its state's military
    assert edges("tanks_shelled", gazetteer) == {("Turkish", "attacked", "Syria")}


def test_an_unless_clause_hung_deep_in_the_sentence_still_makes_a_threat(gazetteer: Gazetteer) -> None:
    assert events("unless_deep", gazetteer) == {("THREATEN", roles(("actor", "Turkey"), ("target", "PMF")))}


def test_a_part_of_a_group_hung_on_the_verb_by_the_parser_is_still_the_groups(gazetteer: Gazetteer) -> None:
    # "accused a faction within the PMF of ...": the parser hangs "within the PMF" on "accused"
    assert edges("faction_within", gazetteer) == {("Iraq", "criticized", "PMF")}


def test_a_participle_after_a_nested_reported_clause_is_the_speakers_act(gazetteer: Gazetteer) -> None:
    assert events("warning_deep", gazetteer) == {("THREATEN", roles(("actor", "Syrian"), ("target", "Iraq")))}


def test_what_is_asked_for_did_not_happen(gazetteer: Gazetteer) -> None:
    # "demanded an admission by Syria that its forces attacked Iraq": no attack is reported
    assert kinds("demanded_admission", gazetteer) == {"REQUEST"}
    assert edges("demanded_admission", gazetteer) == {("Jordan", "requested", "Syria")}


def test_an_act_inside_a_described_intention_is_no_event(gazetteer: Gazetteer) -> None:
    # "a plan that aims to impose a blockade": the blockade is the plan's, not an occurrence
    assert kinds("plan_aims_blockade", gazetteer) == {"AGREE"}


def test_a_protest_calling_for_something_is_one_protest_against_whom_it_presses(gazetteer: Gazetteer) -> None:
    # people of a state may protest against the state itself
    assert events("protest_calling_for", gazetteer) == {("PROTEST", roles(("actor", "Syrian"), ("target", "Syria")))}


def test_a_light_verb_with_an_empty_object_says_nothing_of_its_own(gazetteer: Gazetteer) -> None:
    # "take" defaults to seizing in CAMEO; "took steps" seizes nothing, "took the town" does
    assert kinds("took_steps", gazetteer) == set()
    assert events("took_town", gazetteer) == {("COERCE", roles(("actor", "Turkish"), ("target", "Raqqa")))}


def test_a_participle_the_parser_made_a_subject_gives_way_to_its_own_subject(gazetteer: Gazetteer) -> None:
    # "The Red Cross operating in Lebanon said ...": "operating" parsed as the subject of "said"
    assert edges("participle_subject", gazetteer) == {("Red Cross", "requested", "Syrian")}


def test_a_protest_under_an_aspect_verb_presses_whom_its_purpose_demands_of(gazetteer: Gazetteer) -> None:
    assert events("hunger_strike_purpose", gazetteer) == {("PROTEST", roles(("actor", "Syrian"), ("target", "Iraqi")))}


def test_an_act_with_no_one_named_is_still_an_event_where_it_happened(gazetteer: Gazetteer) -> None:
    assert events("riot_place", gazetteer) == {("PROTEST", roles(("target", "Raqqa")))}
    assert edges("riot_place", gazetteer) == set()


def test_a_thing_struck_or_seized_stands_for_whoever_owns_it(gazetteer: Gazetteer) -> None:
    assert edges("hack_into", gazetteer) == {("Iran", "coerced", "Iraqi")}


def test_the_target_of_a_purpose_phrase(gazetteer: Gazetteer) -> None:
    # "mobilized reservists for a war against Syria"
    assert events("mobilized_for_war", gazetteer) == {("MOBILIZE", roles(("actor", "Jordan"), ("target", "Syria")))}


def test_the_most_precise_place_no_actor_owns_is_the_target(gazetteer: Gazetteer) -> None:
    # "a curfew in the town of Sinjar in northern Iraq": Sinjar, named by "the town of"
    assert events("curfew_town_of", gazetteer) == {("COERCE", roles(("actor", "Turkish"), ("target", "Sinjar")))}


def test_they_in_a_reported_clause_is_the_speaker_even_a_described_one(gazetteer: Gazetteer) -> None:
    # "Fighters loyal to ... said they shelled Raqqa": the fighters, acting for whom they are loyal to
    assert events("they_loyal_speaker", gazetteer) == {("ASSAULT", roles(("actor", "Syrian army"), ("target", "Raqqa")))}
    assert not any(p == "attacked" for _, p, _ in edges("they_loyal_speaker", gazetteer))


def test_a_thing_struck_stands_for_whom_it_is_for(gazetteer: Gazetteer) -> None:
    # "a camp for Syrian refugees was attacked": the refugees, people of Syria, not its state
    assert events("camp_for_refugees", gazetteer) == {("ASSAULT", roles(("actor", "Turkish"), ("target", "Syrian")))}
    assert edges("camp_for_refugees", gazetteer) == set()


def test_what_is_rejected_is_no_event_of_its_own(gazetteer: Gazetteer) -> None:
    # "rejected a Turkish ultimatum": one refusal, no threat
    assert events("rejected_ultimatum", gazetteer) == {("REJECT", roles(("actor", "Syria"), ("target", "Turkish")))}

