"""Reading and checking the YAML content, in stages.

1. :mod:`.located_yaml` parses a file safely, keeping the line and column of every value.
2. :mod:`.field_reader` reads typed fields from those values, recording a problem for each mistake.
3. :mod:`.intent_file` and :mod:`.system_file` read one intent file or the system pack;
   :mod:`.intent_checks` checks the parts of one intent against each other.
4. :mod:`.file_set` reads a set of files (each alone, then together); :mod:`.parallel` spreads it over cores.
5. :mod:`.knowledge` holds the result for the conversation: the system pack and the intents.
"""
