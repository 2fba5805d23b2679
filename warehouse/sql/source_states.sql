-- What each source's last read left: ETag, Last-Modified, file fingerprint.
SELECT * FROM source_state;
