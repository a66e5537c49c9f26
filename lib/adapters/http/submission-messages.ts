/** Why a web-form field was refused: the codes the schema gives, each worded per locale below. */
export const SUBMISSION_PROBLEMS = [
  'required',
  'notText',
  'tooLong',
  'invalidEmail',
  'invalidPhone',
  'unknownQueue',
  'unknownPriority',
  'mustBeEmpty',
  'notAnObject',
  'malformedJson',
  'malformedMultipart',
  'tooManyParts',
  'fieldTooLarge',
  'tooManyFiles',
  'noFiles',
] as const;
export type SubmissionProblem = (typeof SUBMISSION_PROBLEMS)[number];

export const isSubmissionProblem = (value: string): value is SubmissionProblem =>
  (SUBMISSION_PROBLEMS as readonly string[]).includes(value);

const MESSAGES: Readonly<Record<string, Readonly<Record<SubmissionProblem, string>>>> = {
  en: {
    required: 'This field is required.',
    notText: 'This field must be text.',
    tooLong: 'This field is too long.',
    invalidEmail: 'Enter a valid e-mail address.',
    invalidPhone: 'Enter a phone number with digits, spaces, +, -, ( and ) only.',
    unknownQueue: 'There is no such queue.',
    unknownPriority: 'There is no such priority.',
    mustBeEmpty: 'Leave this field empty.',
    notAnObject: 'The request body must be an object of fields.',
    malformedJson: 'The request body is not valid JSON.',
    malformedMultipart: 'The request body is not a complete multipart/form-data body.',
    tooManyParts: 'The form has more than {max} parts.',
    fieldTooLarge: 'This field is longer than {max} bytes.',
    tooManyFiles: 'Attach at most {max} files.',
    noFiles: 'This form takes no files.',
  },
  es: {
    required: 'Este campo es obligatorio.',
    notText: 'Este campo debe ser texto.',
    tooLong: 'Este campo es demasiado largo.',
    invalidEmail: 'Escribe una dirección de correo válida.',
    invalidPhone: 'Escribe un teléfono solo con dígitos, espacios, +, -, ( y ).',
    unknownQueue: 'Esa cola no existe.',
    unknownPriority: 'Esa prioridad no existe.',
    mustBeEmpty: 'Deja este campo vacío.',
    notAnObject: 'El cuerpo de la petición debe ser un objeto de campos.',
    malformedJson: 'El cuerpo de la petición no es JSON válido.',
    malformedMultipart: 'El cuerpo de la petición no es un multipart/form-data completo.',
    tooManyParts: 'El formulario tiene más de {max} partes.',
    fieldTooLarge: 'Este campo ocupa más de {max} bytes.',
    tooManyFiles: 'Adjunta como máximo {max} archivos.',
    noFiles: 'Este formulario no admite archivos.',
  },
  'pt-BR': {
    required: 'Este campo é obrigatório.',
    notText: 'Este campo deve ser texto.',
    tooLong: 'Este campo é longo demais.',
    invalidEmail: 'Informe um endereço de e-mail válido.',
    invalidPhone: 'Informe um telefone só com dígitos, espaços, +, -, ( e ).',
    unknownQueue: 'Essa fila não existe.',
    unknownPriority: 'Essa prioridade não existe.',
    mustBeEmpty: 'Deixe este campo vazio.',
    notAnObject: 'O corpo da requisição deve ser um objeto de campos.',
    malformedJson: 'O corpo da requisição não é um JSON válido.',
    malformedMultipart: 'O corpo da requisição não é um multipart/form-data completo.',
    tooManyParts: 'O formulário tem mais de {max} partes.',
    fieldTooLarge: 'Este campo ocupa mais de {max} bytes.',
    tooManyFiles: 'Anexe no máximo {max} arquivos.',
    noFiles: 'Este formulário não aceita arquivos.',
  },
};

/** The problem in the requester's language when it is one of ours, else in English; `{max}` is the limit it names. */
export const problemMessage = (
  problem: SubmissionProblem,
  locale: string | null,
  values: { readonly max?: number } = {},
): string => {
  const message = (locale !== null ? MESSAGES[locale] : undefined)?.[problem] ?? MESSAGES['en']![problem];
  return values.max === undefined ? message : message.replace('{max}', String(values.max));
};
