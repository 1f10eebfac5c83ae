-- What a sign-in proved travels with everything that stems from it: the authentication methods (amr) and the
-- authentication context classes satisfied (acrs), each as its values joined by single spaces ('' for none), and the
-- device, if known. Rows written before this migration came from password sign-ins: amr 'pwd', no acrs, no device.
-- One column per statement, as H2 and PostgreSQL both accept it.

ALTER TABLE sign_in_session ADD COLUMN amr VARCHAR(1000) DEFAULT 'pwd' NOT NULL;
ALTER TABLE sign_in_session ADD COLUMN acrs VARCHAR(1000) DEFAULT '' NOT NULL;
ALTER TABLE sign_in_session ADD COLUMN device_id VARCHAR(255);

ALTER TABLE authorization_code ADD COLUMN amr VARCHAR(1000) DEFAULT 'pwd' NOT NULL;
ALTER TABLE authorization_code ADD COLUMN acrs VARCHAR(1000) DEFAULT '' NOT NULL;
ALTER TABLE authorization_code ADD COLUMN device_id VARCHAR(255);

-- A device authorization has a context only once approved (auth_time set); until then all three stay null.
ALTER TABLE device_code ADD COLUMN amr VARCHAR(1000);
ALTER TABLE device_code ADD COLUMN acrs VARCHAR(1000);
ALTER TABLE device_code ADD COLUMN device_id VARCHAR(255);
UPDATE device_code SET amr = 'pwd', acrs = '' WHERE auth_time IS NOT NULL;

-- Every token of a family carries the sign-in that started it, so the sign-in time of an existing family is the
-- issue time of its earliest token still stored.
ALTER TABLE refresh_token ADD COLUMN amr VARCHAR(1000) DEFAULT 'pwd' NOT NULL;
ALTER TABLE refresh_token ADD COLUMN acrs VARCHAR(1000) DEFAULT '' NOT NULL;
ALTER TABLE refresh_token ADD COLUMN device_id VARCHAR(255);
ALTER TABLE refresh_token ADD COLUMN auth_time BIGINT;
UPDATE refresh_token SET auth_time = (SELECT MIN(f.issued_at) FROM refresh_token f WHERE f.family_id = refresh_token.family_id);
ALTER TABLE refresh_token ALTER COLUMN auth_time SET NOT NULL;
