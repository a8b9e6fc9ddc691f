"""One search over the published guides, FAQ answers and checklists of a language.

The same code on SQLite and PostgreSQL: the published corpus is small (tens of documents per
language), so it is read once into an in-memory index (per process, rebuilt when the corpus
changes, at most every CORPUS_SECONDS) and searched in Python:

- words are compared without case or accents, as whole words, by a light stem (Indonesian
  -nya/-lah/-kah/-ku/-mu, English -ing/-ed/-es/-s) or as the start of a longer word;
- a word found nowhere is replaced by the most similar word of the corpus (trigram similarity as
  pg_trgm computes it), so "pasprot" searches "paspor": the page says so ("did you mean");
- a word that is not itself a word of the corpus but still found something (as the start of a
  longer word, "paspo") keeps its results, and the page offers the closest word as well;
- results are ranked: documents whose title holds the words first, then by how many words match
  and where, guides before FAQ answers before checklists.
"""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass, field
from threading import Lock

from django.db.models import Count, Max
from django.urls import reverse

from education.choices import ContentStatus
from education.models import Article, Checklist, FaqEntry

# The published corpus changes a few times a day; a rebuild costs a few milliseconds.
CORPUS_SECONDS = 300
# Below this trigram similarity a corpus word is not taken as a typo of the query word
# ("pasprot" ~ "paspor" is 0.36; unrelated words stay under 0.2).
TYPO_SIMILARITY = 0.3
# Words this short have too few trigrams to correct reliably.
TYPO_MIN_LENGTH = 4
PREFIX_MIN_LENGTH = 3
QUERY_WORDS_MAX = 8
KIND_ORDER = {"guide": 0, "faq": 1, "checklist": 2}
SUFFIXES = {
    "id": ("nya", "lah", "kah", "ku", "mu"),
    "en": ("ing", "ed", "es", "s"),
}

_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _WORD.findall(plain.casefold())


def stem(word: str, language: str) -> str:
    for suffix in SUFFIXES[language]:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def trigrams(word: str) -> set[str]:
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(left: str, right: str) -> float:
    a, b = trigrams(left), trigrams(right)
    return len(a & b) / len(a | b) if a and b else 0.0


@dataclass
class Document:
    kind: str
    title: str
    url: str
    summary: str
    item: object
    title_words: set[str] = field(default_factory=set)
    body_words: set[str] = field(default_factory=set)


@dataclass
class Index:
    language: str
    documents: list[Document]
    vocabulary: dict[str, int]  # word → number of documents holding it
    stems: set[str]


@dataclass(frozen=True)
class Hit:
    kind: str
    title: str
    url: str
    summary: str
    item: object
    title_matches: int
    score: int


@dataclass(frozen=True)
class SearchResult:
    hits: list[Hit]
    corrected: str | None  # the query searched instead of the reader's (nothing matched it)
    suggestion: str | None  # "did you mean": the reader's words found something, a near word exists


_cache: dict[str, tuple[tuple, float, Index]] = {}
_lock = Lock()


def _version(language: str) -> tuple:
    version = []
    for model in (Article, FaqEntry, Checklist):
        row = model.objects.filter(language=language, status=ContentStatus.PUBLISHED).aggregate(
            count=Count("id"), last=Max("published_at"), top=Max("id")
        )
        version.append((row["count"], row["last"], row["top"]))
    return tuple(version)


def _build(language: str) -> Index:
    published = {"language": language, "status": ContentStatus.PUBLISHED}
    documents: list[Document] = []
    for article in Article.objects.filter(**published).only(
        "slug", "title", "summary", "body_markdown", "language", "status"
    ):
        documents.append(
            Document(
                kind="guide",
                title=article.title,
                url=article.get_absolute_url(),
                summary=article.summary,
                item=article,
                title_words=set(words_of(article.title)),
                body_words=set(words_of(f"{article.summary} {article.body_markdown}")),
            )
        )
    faq_url = reverse("education:faq")
    for entry in FaqEntry.objects.filter(**published).only(
        "question", "answer_markdown", "language", "status"
    ):
        documents.append(
            Document(
                kind="faq",
                title=entry.question,
                url=f"{faq_url}?buka={entry.pk}#faq-{entry.pk}",
                summary=_first_sentence(entry.answer_markdown),
                item=entry,
                title_words=set(words_of(entry.question)),
                body_words=set(words_of(entry.answer_markdown)),
            )
        )
    for checklist in Checklist.objects.filter(**published).prefetch_related("items"):
        items = " ".join(f"{item.text} {item.hint}" for item in checklist.items.all())
        documents.append(
            Document(
                kind="checklist",
                title=checklist.title,
                url=checklist.get_absolute_url(),
                summary=checklist.intro,
                item=checklist,
                title_words=set(words_of(checklist.title)),
                body_words=set(words_of(f"{checklist.intro} {items}")),
            )
        )
    vocabulary: dict[str, int] = {}
    for document in documents:
        for word in document.title_words | document.body_words:
            vocabulary[word] = vocabulary.get(word, 0) + 1
    return Index(
        language=language,
        documents=documents,
        vocabulary=vocabulary,
        stems={stem(word, language) for word in vocabulary},
    )


def _first_sentence(markdown: str) -> str:
    text = " ".join(re.sub(r"[#*_>`\[\]]", " ", markdown or "").split())
    return text[:200]


def content_index(*, language: str) -> Index:
    """The index of the published corpus of `language`, rebuilt when it changed."""
    now = time.monotonic()
    with _lock:
        cached = _cache.get(language)
    if cached and now - cached[1] < CORPUS_SECONDS:
        version = cached[0]
        if version == _version(language):
            return cached[2]
    version = _version(language)
    index = _build(language)
    with _lock:
        _cache[language] = (version, now, index)
    return index


def _matches(term: str, words: set[str], language: str) -> bool:
    if term in words:
        return True
    term_stem = stem(term, language)
    for word in words:
        if stem(word, language) == term_stem:
            return True
        if len(term) >= PREFIX_MIN_LENGTH and word.startswith(term):
            return True
    return False


def _is_word(term: str, index: Index) -> bool:
    """The term is a word of the corpus, or the same word inflected ("paspornya")."""
    return term in index.vocabulary or stem(term, index.language) in index.stems


def _closest(term: str, index: Index) -> str | None:
    if len(term) < TYPO_MIN_LENGTH:
        return None
    best, best_key = None, (TYPO_SIMILARITY, 0)
    for word, documents in index.vocabulary.items():
        key = (similarity(term, word), documents)
        if key >= best_key:
            best, best_key = word, key
    return best


def _search(terms: list[str], index: Index, limit: int) -> list[Hit]:
    hits = []
    for document in index.documents:
        in_title = [_matches(term, document.title_words, index.language) for term in terms]
        in_body = [_matches(term, document.body_words, index.language) for term in terms]
        if not all(title or body for title, body in zip(in_title, in_body, strict=True)):
            continue
        hits.append(
            Hit(
                kind=document.kind,
                title=document.title,
                url=document.url,
                summary=document.summary,
                item=document.item,
                title_matches=sum(in_title),
                score=sum(3 if title else 1 for title in in_title) + sum(in_body),
            )
        )
    hits.sort(key=lambda hit: (-hit.title_matches, -hit.score, KIND_ORDER[hit.kind], hit.title))
    return hits[:limit]


def content_search(*, query: str, language: str, limit: int = 30) -> SearchResult:
    """Published guides, FAQ answers and checklists matching every word of `query`, best first."""
    language = "en" if (language or "id").startswith("en") else "id"
    terms = words_of((query or "").replace("\x00", " ")[:200])[:QUERY_WORDS_MAX]
    if not terms:
        return SearchResult(hits=[], corrected=None, suggestion=None)
    index = content_index(language=language)
    # Every term that is not itself a word of the corpus, replaced by its nearest word.
    nearest = [term if _is_word(term, index) else (_closest(term, index) or term) for term in terms]
    near = " ".join(nearest) if nearest != terms else None
    hits = _search(terms, index, limit)
    if hits or near is None:
        # The reader's own words found something (or nothing closer exists): their results, and
        # the near words offered beside them.
        return SearchResult(hits=hits, corrected=None, suggestion=near)
    # Nothing matched as typed: search the near words, and say so.
    return SearchResult(hits=_search(nearest, index, limit), corrected=near, suggestion=None)
