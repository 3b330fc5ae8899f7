"""Settings a user may want to know or change, in one place.

Only settings that hold across stages live here; a stage's own tuning stays beside its code.
"""

#: The least confidence for an event to count in stories and timelines (and so in the
#: GDELT export of stories): events under it are stored and listed, but join no story.
#: ``newsevents eval`` reports precision and recall of the events at this confidence, the
#: precision-recall curve over confidences and how well calibrated they are.
MIN_CONFIDENCE = 0.5
