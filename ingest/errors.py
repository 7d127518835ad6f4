"""The one exception a reader raises for a file it cannot use; the pipeline turns it into an
IngestError naming the file and the reason, and goes on with the next file."""


class UnreadableFile(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
