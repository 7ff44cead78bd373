"""CultureSPA's released generations (GitHub shaoyangxu/CultureSPA, data/Meta-Llama-3-8B-Instruct/
generated_questions_topic_<i>_from_all_seed.json: 1,000 questions per WVS topic, 13,000 in all, made by
its 1.GDCRQ.py with LLaMA-3-8B-Instruct), read as this workflow's generated topic files, so that §4.2-§4.4
can start from the paper's own questions (`culturespa.generation.seeds: released`).

Question ids are the ones the reference's filter sees: data_process/1.merge_data.py numbers the 13 files'
questions consecutively (Q0 ... Q12999, topic files in order), so topic file i's question Q<k> becomes
Q<1000 i + k> (each file holds 1,000 questions, Q0 ... Q999 in order). The notebook's hand exception
(Q1879) is in those ids.
"""

from __future__ import annotations

RELEASED = "released"  # culturespa.generation.seeds: the released questions instead of generating
PER_TOPIC = 1000  # §4.1: 1,000 questions per topic; 1.merge_data.py numbers them consecutively
FILE = "generated_questions_topic_{index}_from_all_seed.json"


def topic_file(topic_id: int) -> str:
    """The released file of WVS topic `topic_id` (1-13; the files count from 0)."""
    return FILE.format(index=topic_id - 1)


def read_released(data: list[dict], topic_id: int, topic: str) -> dict:
    """A released topic file as a generated topic (the shape culturespa_generate writes): each question
    with its merged id, its text and options as released, and the file's own id (`released_id`)."""
    questions, seen = [], set()
    for q in data:
        local = int(str(q["Q_id"]).lstrip("Q"))
        if local in seen or not 0 <= local < PER_TOPIC:
            raise ValueError(f"released topic {topic_id}: question id {q['Q_id']!r} is repeated or outside "
                             f"Q0-Q{PER_TOPIC - 1}")
        seen.add(local)
        questions.append({"id": f"Q{PER_TOPIC * (topic_id - 1) + local}", "released_id": q["Q_id"],
                          "question": q["question"], "options": list(q["option_lst"]), "topic_id": topic_id,
                          "topic": topic, "released_topic": q.get("class")})
    return {"topic_id": topic_id, "topic": topic, "questions": questions, "raw": [], "dropped": [],
            "counts": {"released": len(questions), "kept": len(questions)}}
