// Internal: the healthcare stack's Lambda handler (Node.js), inline in the function's code. It
// reads the database credentials from the RDS-managed secret and logs request metadata only.
#pragma once

#include <string_view>

namespace hipaa::detail {

inline constexpr std::string_view kHealthcareHandlerSource =
    R"(// Patient records API handler. Logs request metadata only: never bodies, which carry PHI.
const { SecretsManagerClient, GetSecretValueCommand } = require('@aws-sdk/client-secrets-manager');

const secrets = new SecretsManagerClient({});
let credentials;

async function databaseCredentials() {
  if (!credentials) {
    const secret = await secrets.send(new GetSecretValueCommand({ SecretId: process.env.DB_SECRET_ARN }));
    credentials = JSON.parse(secret.SecretString);
  }
  return credentials;
}

exports.handler = async (event) => {
  const context = event.requestContext || {};
  console.log(JSON.stringify({
    requestId: context.requestId,
    method: event.httpMethod || (context.http && context.http.method),
    route: event.resource || event.routeKey,
  }));
  try {
    await databaseCredentials();
    return {
      statusCode: 200,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ requestId: context.requestId, status: 'accepted' }),
    };
  } catch (error) {
    console.error(JSON.stringify({ requestId: context.requestId, error: error.name }));
    return { statusCode: 500, headers: { 'Content-Type': 'application/json' },
             body: JSON.stringify({ error: 'Internal server error' }) };
  }
};
)";

}  // namespace hipaa::detail
