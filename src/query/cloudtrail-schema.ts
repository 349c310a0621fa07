import * as glue from 'aws-cdk-lib/aws-glue';

const S = glue.Schema;

function col(name: string, type: glue.Type = S.STRING): glue.Column {
  return { name, type };
}

// Column names are lowercase: Glue stores them that way, and the Hive JSON SerDe matches JSON keys
// (eventName, userIdentity.sessionContext, ...) to them case-insensitively.
// requestparameters, responseelements, additionaleventdata, serviceeventdetails and
// edgedevicedetails hold JSON objects whose shape depends on the API; as STRING columns the SerDe
// hands back the object's JSON text, which queries read with json_extract_scalar.
const SESSION_ISSUER = S.struct([
  col('type'), col('principalid'), col('arn'), col('accountid'), col('username'),
]);

const USER_IDENTITY = S.struct([
  col('type'),
  col('principalid'),
  col('arn'),
  col('accountid'),
  col('invokedby'),
  col('accesskeyid'),
  col('username'),
  col('onbehalfof', S.struct([col('userid'), col('identitystorearn')])),
  col('sessioncontext', S.struct([
    col('attributes', S.struct([col('mfaauthenticated'), col('creationdate')])),
    col('sessionissuer', SESSION_ISSUER),
    col('ec2roledelivery'),
    col('webidfederationdata', S.struct([
      col('federatedprovider'),
      col('attributes', S.map(S.STRING, S.STRING)),
    ])),
  ])),
]);

const EVENT_COLUMNS: glue.Column[] = [
  col('eventversion'),
  col('useridentity', USER_IDENTITY),
  col('eventtime'),
  col('eventsource'),
  col('eventname'),
  col('awsregion'),
  col('sourceipaddress'),
  col('useragent'),
  col('errorcode'),
  col('errormessage'),
  col('requestparameters'),
  col('responseelements'),
  col('additionaleventdata'),
  col('requestid'),
  col('eventid'),
  col('readonly'),
  col('resources', S.array(S.struct([col('arn'), col('accountid'), col('type')]))),
  col('eventtype'),
  col('apiversion'),
  col('recipientaccountid'),
  col('serviceeventdetails'),
  col('sharedeventid'),
  col('vpcendpointid'),
  col('vpcendpointaccountid'),
  col('eventcategory'),
  col('addendum', S.struct([
    col('reason'), col('updatedfields'), col('originalrequestid'), col('originaleventid'),
  ])),
  col('sessioncredentialfromconsole'),
  col('edgedevicedetails'),
  col('tlsdetails', S.struct([col('tlsversion'), col('ciphersuite'), col('clientprovidedhostheader')])),
];

// Rates and durations are DOUBLE, not BIGINT: the record format documents them as numbers without
// promising integers, and a value the SerDe cannot parse fails the whole query.
const RATE = S.struct([col('average', S.DOUBLE)]);
const ATTRIBUTION_VALUES = S.array(S.struct([col('value'), col('average', S.DOUBLE)]));

const INSIGHT_COLUMNS: glue.Column[] = [
  col('eventversion'),
  col('eventtime'),
  col('awsregion'),
  col('eventid'),
  col('eventtype'),
  col('recipientaccountid'),
  col('sharedeventid'),
  col('insightdetails', S.struct([
    col('state'),
    col('eventsource'),
    col('eventname'),
    col('insighttype'),
    col('errorcode'),
    col('insightcontext', S.struct([
      col('statistics', S.struct([
        col('baseline', RATE),
        col('insight', RATE),
        col('insightduration', S.DOUBLE),
        col('baselineduration', S.DOUBLE),
      ])),
      col('attributions', S.array(S.struct([
        col('attribute'),
        col('insight', ATTRIBUTION_VALUES),
        col('baseline', ATTRIBUTION_VALUES),
      ]))),
    ])),
  ])),
  col('eventcategory'),
];

/**
 * The Glue columns of CloudTrail log records.
 *
 * `eventColumns()` is every column of the table AWS documents for CloudTrail logs in Athena, with
 * the same names and types. `insightsColumns()` are the fields of CloudTrail Insights records as
 * trails deliver them under `CloudTrail-Insight/`.
 */
export class CloudTrailSchema {
  /**
   * The columns of management, data and network activity event records.
   */
  public static eventColumns(): glue.Column[] {
    return [...EVENT_COLUMNS];
  }

  /**
   * The columns of CloudTrail Insights event records.
   */
  public static insightsColumns(): glue.Column[] {
    return [...INSIGHT_COLUMNS];
  }

  private constructor() {}
}
