"""CAReDiO §3.3: selecting the synthesised samples of one culture by representativeness and
distinctiveness, on embeddings computed elsewhere (sentence-transformers or an embeddings endpoint).

- Clusters (representativeness): agglomerative clustering (scikit-learn) with cosine distance that
  merges samples whose similarity is above theta (distance below 1 - theta; paper: theta = 0.7).
  The linkage is not stated in the paper: `average` by default, configurable. What is clustered is
  `scope`: each culture's samples on their own (`culture`), or every culture's samples together
  (`all`, "clustering on the entire dataset", l.90): then a cluster's one centre may be another
  culture's sample, and a culture's candidates are the centres that are its own, r the whole cluster's
  size.
- Centre: the member with the largest mean cosine similarity to the other members ("the largest
  similarity with other samples in the cluster"); ties to the earliest sample.
- r: the cluster's size ("cluster size" variant; the in-context variant scores centres with a model
  elsewhere and passes its r here).
- d, eq. (1): d = sum_{i=1..4} (1 - cos(e, e_i)) / 4 over the same question's answers of four other
  cultures, drawn at random (seeded); with fewer than four others, all of them.
- s = r * d (the paper prints "s = r * q"; q is not defined anywhere: d is meant); centres in order
  of s (ties: earlier sample first) until the budget.
"""

from __future__ import annotations

import random

import numpy as np

THETA = 0.7  # §4.3 (l.168) "We cluster samples with a similarity larger than theta = 0.7"
OTHERS = 4   # eq. (1): answers from four other countries


def _checked(x) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if np.any(np.linalg.norm(x, axis=1) == 0):
        raise ValueError("an embedding is the zero vector: its cosine similarity is undefined")
    return x


def clusters(embeddings, theta: float = THETA, linkage: str = "average") -> list[int]:
    """A cluster label per sample (labels numbered by first appearance)."""
    from sklearn.cluster import AgglomerativeClustering

    x = _checked(embeddings)
    if len(x) == 1:
        return [0]
    labels = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage=linkage,
                                     distance_threshold=1.0 - theta).fit_predict(x)
    order: dict[int, int] = {}
    return [order.setdefault(int(label), len(order)) for label in labels]


def centres(embeddings, labels: list[int]) -> dict[int, int]:
    """cluster label -> index of its centre (largest mean similarity to the other members)."""
    from sklearn.metrics.pairwise import cosine_similarity

    sim = cosine_similarity(_checked(embeddings))
    out = {}
    for label in sorted(set(labels)):
        members = [i for i, lab in enumerate(labels) if lab == label]
        if len(members) == 1:
            out[label] = members[0]
            continue
        sub = sim[np.ix_(members, members)]
        mean_to_others = (sub.sum(axis=1) - np.diag(sub)) / (len(members) - 1)
        out[label] = members[int(np.argmax(mean_to_others))]  # argmax: the first of equal maxima
    return out


def distinctiveness(own, others: list, rng: random.Random, k: int = OTHERS) -> float:
    """Eq. (1): the mean cosine distance between the target culture's answer and k other cultures'
    answers to the same question, drawn with `rng` (all of them when fewer than k)."""
    chosen = rng.sample(range(len(others)), min(k, len(others)))
    if not chosen:
        raise ValueError("no other culture's answer to compare with (eq. 1 needs at least one)")
    from sklearn.metrics.pairwise import cosine_distances

    return float(np.mean(cosine_distances(_checked([own]), _checked([others[i] for i in chosen]))))


def select(sample_ids: list[str], r: dict[str, float], d: dict[str, float], budget: int) -> list[dict]:
    """The candidates (cluster centres) in order of s = r * d, cut at `budget`; ties keep the
    candidates' order in `sample_ids`."""
    candidates = [i for i in sample_ids if i in r]
    scored = [{"id": i, "r": r[i], "d": d[i], "s": r[i] * d[i], "rank": None} for i in candidates]
    ordered = sorted(enumerate(scored), key=lambda p: (-p[1]["s"], p[0]))
    out = []
    for rank, (_, row) in enumerate(ordered[:budget]):
        row["rank"] = rank
        out.append(row)
    return out


def rank_samples(ids: list[str], sample_vectors, response_vectors, isolated_vectors, *, theta: float, linkage: str,
                 others: int, rng: random.Random, pool: dict[str, tuple[list[str], object]] | None = None) -> dict:
    """§3.3 on one culture's samples: clusters at theta, one centre per cluster, r = cluster size,
    d = eq. (1) of the centre's answer against `others` other cultures' answers to its question,
    every centre ranked by s = r * d (no budget cut: training sets take the first n). `pool`: the
    other cultures' samples ({culture: (ids, sample vectors)}) clustered with them (scope `all`);
    their members are named `<culture>/<id>`, and their centres are not this culture's candidates."""
    if not ids:
        return {"clusters": 0, "candidates": 0, "ranking": [], "members": {}, "foreign_centres": 0}
    names, vectors = list(ids), [np.asarray(sample_vectors)]
    for culture, (other_ids, other_vectors) in (pool or {}).items():
        names += [f"{culture}/{i}" for i in other_ids]
        vectors.append(np.asarray(other_vectors))
    every = np.concatenate(vectors) if len(vectors) > 1 else vectors[0]
    labels = clusters(every, theta, linkage)
    centre_of = centres(every, labels)
    members: dict[str, list[str]] = {}
    r, d = {}, {}
    foreign = 0
    for label, index in sorted(centre_of.items()):
        if index >= len(ids):  # the cluster's centre is another culture's sample
            foreign += 1
            continue
        sid = ids[index]
        members[sid] = [names[i] for i, lab in enumerate(labels) if lab == label]
        r[sid] = float(len(members[sid]))
        d[sid] = distinctiveness(response_vectors[index], list(isolated_vectors[index]), rng, others)
    ranking = select(ids, r, d, len(r))
    return {"clusters": len(centre_of), "candidates": len(ranking), "ranking": ranking, "members": members,
            "foreign_centres": foreign}
