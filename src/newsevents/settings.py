"""Settings a user may want to know or change, in one place.

Only settings that hold across stages live here; a stage's own tuning stays beside its code.
"""

#: The least confidence for an event to count in stories and timelines (and so in the
#: GDELT export of stories) and to be listed by default (``/events``, ``/events.csv``):
#: events under it are stored and flagged "low confidence", never counted. An event's
#: confidence is the event scorer's P(it is right) (``learning.scorer``). Out of fold on the
#: article gold's train part, about half of the events kept at 0.3 are right and three in
#: four of the right ones are kept; at 0.5 a third are (``newsevents train`` prints the
#: curve; a test checks the shipped model keeps to ``learning.train.MIN_KEPT_PRECISION``). ``newsevents eval`` reports precision and recall at it, the
#: precision-recall curve over confidences and how well calibrated they are.
MIN_CONFIDENCE = 0.3
