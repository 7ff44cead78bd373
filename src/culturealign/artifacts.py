"""The tables and figures of every paper, each declared once: its name (its report page is
results/report/<name>.html), its output path, the file of the paper's published numbers and which
table of it, its report caption, whether `rule all` makes it, and what it shows in a few words. The
Snakefile's `rule all`, the report pages, the tables' rules and `culturealign targets` all read this
declaration."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Artifact:
    name: str
    path: str
    paper: str
    caption: str                    # report caption (.rst), relative to the workflow
    published: str | None = None    # file of the paper's numbers
    published_table: str | None = None  # the `table` column value(s) in that file, space-separated
    default: bool = False           # made by `rule all`
    what: str = ""                  # what it shows, in a few words (`culturealign targets`)
    title: str = ""                 # its name when it is not a paper's "Table N" / "Figure N"

    @property
    def page(self) -> str:
        return f"results/report/{self.name}.html"

    @property
    def label(self) -> str:
        """The paper's own name for it: "Table 3", "Figure 1" (or its `title`)."""
        if self.title:
            return self.title
        stem = self.name.rsplit("-", 1)[-1]  # "table3", "figure1"
        kind = stem.rstrip("0123456789")
        return f"{kind.capitalize()} {stem[len(kind):]}"

    @property
    def lineage_csv(self) -> str:
        return f"results/lineage/{self.name}.csv"


def by_name(artifacts) -> dict[str, Artifact]:
    out = {}
    for a in artifacts:
        if a.name in out:
            raise ValueError(f"artifact {a.name!r} declared twice ({out[a.name].paper}, {a.paper})")
        out[a.name] = a
    return out
