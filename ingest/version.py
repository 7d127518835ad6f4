"""The version of the ingest pipeline: what parsing, cleaning, metadata and chunking make of a file.

Ingest skips a file whose bytes have not changed since it was indexed, so a fix to the pipeline
would otherwise never reach a document that was indexed before it: the index would keep the old
text, passages and metadata for ever. Every document records the PIPELINE_VERSION that produced
it (index/store.py, table `pipeline`), and an ingest re-reads every file whose document was
produced by another version, unchanged bytes or not (reported as "updated (pipeline changed)").
A document in an index written before versions were recorded counts as another version.

**Bump PIPELINE_VERSION (add 1) in the same commit as any change that alters the text, the
passages or the metadata an ingest produces from the same file**: the readers (pdf*.py,
html_text.py, raw.py, readers.py), cleaning (clean.py), tables and headings (tables.py,
headings.py), metadata and access (metadata.py, access.py), chunking (chunking.py), or the
schema of a Document or Chunk. A change that only makes ingest faster, or only changes how
files are found, reported or embedded, needs no bump. Re-reading costs parse time only: a
passage whose words are unchanged keeps its stored vector (embedding.py).

History:
    1  versions recorded; the running-header rule keeps table rows (00267ad)
    2  thin pages (6 lines or fewer) are no evidence of a running header (clean.py): a line
       repeated on them is kept
    3  a table row's passage carries the row as a record (schema.TableRow: label, headers,
       caption, and each cell's header, period and unit)
    4  a heading stays with what it heads (chunking.py): a label line that would end a passage
       opens the next one, with the figures it names
    5  a table keeps its wrapped cells (pdf_table_spans.py): a one-cell line under a table's
       last line, inside one column, continues the row instead of becoming text
    6  a row of units ends its header (tables.py): "£000s | £000s | ..." under the years is
       the header's last line, not a new table's header that left every value without its year
    7  columns of prose are not a table (pdf_prose_columns.py): side-by-side columns of running
       text that line up like a table are read column after column, each sentence whole
    8  a table inside a numbered paragraph (pdf_table_spans.py, pdf_rows.py, pdf_table_cells.py):
       the paragraph is text, not the table's first row; a hyphen ending a cell is not joined to
       the next text on the page; a cell's lines read top to bottom; a word starting in a gutter
       belongs to the column it mostly lies in
    9  codes under a column name are its values (tables.py): a row of ratings, RAG statuses,
       marks or figures with units in words keeps the names of the columns past its label
       ("Actual: AA+; Target: AA-"); a table's last row starts no new table
   10  a row with ticks or crosses ("x") is a table's data, never its header (tables.py); codes
       keep a column name that one line of the header gives
   11  a table continued over a page keeps its header (tables.py, chunking.py): rows opening a
       page right after a table that closed the last one are read under its header and caption
   12  a period with a word or two names a column (tables.py): "2023/24 actual | 2026/27
       budget" is a table's header, not a row of data that left the values without their years
   13  a table interrupted by wrapped text keeps its header (chunking.py): rows below lines of
       text on the same page (a description column wrapped between them), starting with data in
       as many columns as the table's header, are read under it
   14  a resolution keeps its items (chunking.py): a paragraph leading in to a list ("RESOLVED
       that Cabinet agree to:") and the list's items stay in one passage while they fit
   15  a sentence in a cell is data (tables.py): a header line ends where a row has a cell of ten
       words or more (unless it names a column's unit, "£000s"), so the first rows of a table of
       words and dates ("Stage | Dates | Summary") are rows, not more header lines
   16  a numbered row is data (tables.py): a table whose first line is a numbered item ("3.1 |
       Set up a board | Head of Service"), as are others, has no header line; its first item is
       a row and its words no longer name the columns
   17  a header cut off above its table (pdf_table_cells.py): a PDF table's line of column names
       set apart by a gap moves onto the columns of the table below it, so a capital programme's
       values keep their years (they had "£000s" alone over them, or the year to the left's);
       and a name over an empty column heads the figures beside it (tables.py); "£’m" and
       "£'000s" are units however the apostrophe is typed (row_fields.py)
   18  a column name that starts in the gap before its column ("Total Cost of" over figures set
       flush right) no longer hides that gap in a table of twelve rows or more (pdf_table_spans.py
       counted the rows on both sides only to three), and is placed by its whole run of words, not
       its first word (pdf_table_cells.py): the totals had been glued to the descriptions
   19  a sentence opening a continued table is data (tables.py): rows opening a page after a
       table that closed the last one continue it when their first line says a sentence, though
       they have no figure; the first question and answer of each page of a table of words had
       been read as that page's header, in no passage of its own; and a table of sentences has
       no header line (tables.py): when its first two lines each say a sentence, the first is a
       row, not the names of the columns of every row below it
   20  (on main for a few hours of 6 December 2026, then reverted; skipped, so that an index
       built with it is read again) a sentence cut by a page break read whole
   21  a continued table keeps its columns (pdf_table_cells.py): a table that continues the one
       before it, on the next page or below a wrapped cell read as text, and finds fewer gutters
       read alone, is cut at the earlier table's gutters where no word of its own lies across
       them; a figure had been glued to the next column's words in every row ("12,480.5 Day
       Services"), and the rows matched no header
   22  figures keep their columns when the label is cut (tables.py `figures_under`): rows that
       continue a table's header (over a page, or below text) with more cells than it, because
       the header's first column holds what the rows split into a reference, a figure and a name,
       keep the header when one figure stands under each of its other named columns; a budget
       book's rows below each directorate's heading had had no column names at all
   23  a survey question captions its answers (chunking.py `_survey_question`): a question opening
       the paragraph right before a table (a consultation question, then "Base: all answering
       (926)") is the table's caption; the rows of answers and their shares had had none
   24  a cell centred on two lines is one table row (pdf_rows.py `_one_band`): lines overlapping
       by a quarter of a line or more, too little to be one line, that fill different columns are
       one row of the table, and such a line just above a table's first row is its header's top;
       a column name set on two lines around one-line names had been cut to its second line
       ("limit" for "Counterparty limit") and its first read as text above the table
   25  cells that start in line make a column (pdf_table_spans.py `_gutters`): a gap
       narrower than a cell gap is a column gutter when every row of the table starts a word right
       at its end; a cell of prose run almost up to the next column (a budget amendment form's
       proposal, a risk register's description) had been read as one run with that column, each
       line of one glued to the same line of the other, so neither sentence was whole anywhere
   26  a bold line standing alone is a heading (pdf_text.py `_bold_title`): a paragraph of one
       short line set in bold that reads as a title (a capital first, no closing stop or colon,
       not in capitals) names the section below it; unnumbered headings in sentence case
       ("Approved counterparties") had been read as text, and the paragraphs and tables under
       them belonged to no section
   27  the same rule reads a bold title wrapped onto two lines as one heading, however wide its
       line spacing ("Kent & Medway Civilian-Military Partnership" over "Board" had made two, the
       second the section's name), and leaves as text a bold line that says something ("The Plan
       was submitted for examination on 17 May 2024": its words had left every passage) and
       headings at the foot of a page (a signature's name and post)
   28  rule "a cell's first lines set above its row": in a table without borders, a description
       centred on its row starts above the row's other cells; its first lines, which come after
       the row's cells to their left in the PDF's order, join that row instead of the row above
       ("Library roof | Replacing the roof Repairs to the harbour wall" above "Harbour wall |
       after winter storms ...") or the column names (a budget book's service descriptions had
       left their first lines in its header)
   29  rule "a repeated phrase is not columns": a table continued from the page before keeps that
       table's columns though the same phrase in a few rows lines its word spaces up like narrow
       gutters ("£5m per fund" had been cut into "£5m | per | fund" under three column names)
   30  rule "a sentence introducing a table is its caption": the last sentence of the paragraph
       before a table, when it points at the table ("The table below shows ...", "... as
       follows:"), is the caption its rows carry
   31  rule "a superscript ordinal rejoins its number" (clean.py): "6 th January", a superscript
       set apart by the PDF's text layer, is cleaned to "6th January", which the date rules read
   32  rule "a table's lines say something too" (chunking.py): a run of a table's lines that heads
       no row (its header, a group label, a row of prose read as the header), of eight words or
       more and not one line of short column names, is a passage of its own as well as every
       row's context, so it can be quoted ("Thursday, 9 March, at 10.00 am | Ask for: | ...")
   33  rule "a paper's title is its opening heading" (metadata.py): a paper whose file name says
       nothing and whose PDF title is missing or a template's is titled by the block of lines it
       opens with ("Budget Amendment Form"), an organisation's name or a pack's stamp passed over
   34  that rule passes over only a capitalised organisation's name: a heading ending in "Council"
       with a lower-case word ("Report to Full Council") is a title
"""

from __future__ import annotations

PIPELINE_VERSION = 34
