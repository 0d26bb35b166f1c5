"""Download, verify and install Vosk models: the only code in the product that opens a connection.

It runs only when the user types ``assistant models list`` or ``assistant models download``
(the command is :mod:`.command`; the catalog format is :mod:`.catalog`).
Only the catalog's host and the hosts of the archives the catalog lists are ever contacted
(redirects elsewhere are refused), every network operation has a timeout, and nothing looks
installed until a verified archive has been extracted safely and renamed into place:

1. download to ``models/.<name>.zip.partial`` (resumed with an HTTP ``Range`` request when the
   server allows it, restarted cleanly when it does not);
2. check the size and the MD5 against the catalog, before anything is extracted;
3. check every archive member (no absolute path, no ``..``, no link, no device file, one top
   folder, bounded member count and uncompressed size), extract into a temporary folder next to
   the target, check it looks like a Vosk model, then rename it into place.

Modules: :mod:`.errors` (exception types), :mod:`.client` (HTTP with a host allow-list, the
catalog fetch), :mod:`.progress` (the progress bar), :mod:`.transfer` (resumable, verified
download), :mod:`.archive` (archive checks and safe extraction), :mod:`.install` (the install
transaction: lock, staging folder, atomic rename; what the models folder holds).
"""
